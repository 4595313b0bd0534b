"""The demo page's style sheet, inlined into the page (close to Slack's own look)."""

from __future__ import annotations

from typing import Final

STYLE: Final = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.46668 "Lato","Helvetica Neue",Helvetica,"Segoe UI",Arial,sans-serif;
 color:#1d1c1d;background:#fff}
a{color:#1264a3;text-decoration:none}
.app{display:grid;grid-template-columns:260px 1fr;height:100vh}
.sidebar{background:#3f0e40;color:#cfc3cf;overflow-y:auto;padding-bottom:16px}
.workspace{color:#fff;font-weight:900;font-size:18px;padding:14px 16px 12px;
 border-bottom:1px solid #5d3a5e}
.workspace small{display:block;font-weight:400;font-size:12px;color:#cfc3cf}
.nav-title{font-size:13px;padding:14px 16px 4px;color:#bcabbc}
.nav-item{display:flex;align-items:center;gap:8px;color:#cfc3cf;padding:3px 16px;font-size:15px;
 white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.nav-item:hover{background:#350d36}
.nav-item .hash{width:20px;text-align:center;opacity:.8}
.step-link{display:block;font-size:13px;padding-left:44px}
.app:not(:has(.pane:target)) .nav-item[href="#channel"]{background:#1164a3;color:#fff}
.panes{overflow:hidden;height:100vh}
.pane{display:none;flex-direction:column;height:100vh}
.pane:target,.pane.channel{display:flex}
.pane:target~.pane.channel{display:none}
.pane-header{display:flex;align-items:baseline;gap:12px;padding:12px 20px;
 border-bottom:1px solid #e2e2e2;flex:none}
.pane-header h1{font-size:18px;font-weight:900;margin:0}
.pane-header .hash{color:#616061;margin-right:2px}
.pane-header .sub{color:#616061;font-size:13px}
.feed{overflow-y:auto;flex:1;padding:8px 0 24px}
.feed:has(>.step:target)>:not(.step:target,.step:target~*){display:none}
.intro{margin:8px 20px 12px;padding:10px 14px;background:#f8f8f8;border-radius:8px;
 color:#454245;font-size:14px}
.step{display:flex;align-items:center;margin:18px 0 6px;scroll-margin-top:12px;color:#1d1c1d;
 font-size:13px}
.step:before,.step:after{content:"";flex:1;border-top:1px solid #e2e2e2}
.step span{border:1px solid #e2e2e2;border-radius:24px;padding:3px 16px;background:#fff}
.msg{display:flex;gap:8px;padding:8px 20px}
.msg:hover{background:#f8f8f8}
.msg-body{min-width:0;flex:1}
.avatar{flex:none;width:36px;height:36px;border-radius:6px;color:#fff;font-weight:700;
 font-size:14px;display:inline-flex;align-items:center;justify-content:center}
.avatar.bot{background:linear-gradient(135deg,#2bac76,#1264a3)!important;font-size:15px}
.avatar.small{width:20px;height:20px;border-radius:4px;font-size:9px}
.meta{display:flex;align-items:baseline;gap:6px}
.author{font-weight:900}
.tag{background:#e8e8e8;color:#616061;font-size:10px;font-weight:700;padding:0 3px;
 border-radius:2px}
time{color:#616061;font-size:12px}
.content{overflow-wrap:anywhere}
.content ul{margin:2px 0;padding-left:22px}
.content blockquote{margin:4px 0;padding-left:12px;border-left:4px solid #ddd;color:#454245}
.code{font:12px/1.5 Monaco,Menlo,Consolas,monospace;color:#c01343;background:#f6f6f6;
 border:1px solid #e2e2e2;border-radius:3px;padding:1px 3px}
.pre{font:12px/1.5 Monaco,Menlo,Consolas,monospace;background:#f8f8f8;border:1px solid #e2e2e2;
 border-radius:4px;padding:8px;white-space:pre-wrap;margin:4px 0}
.mention{color:#1264a3;background:#e8f5fa;border-radius:3px;padding:0 2px}
.b-header{font-size:18px;font-weight:900;margin:4px 0}
.b-section{margin:4px 0}
.b-section.with-accessory{display:flex;gap:12px;justify-content:space-between;
 align-items:flex-start}
.b-fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px;margin-top:4px}
.b-context{color:#616061;font-size:13px;margin:4px 0;display:flex;flex-wrap:wrap;gap:8px}
.b-context .code{font-size:11px}
.b-divider{border:0;border-top:1px solid #e2e2e2;margin:10px 0}
.b-actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.btn{display:inline-flex;align-items:center;height:28px;padding:0 12px;border-radius:4px;
 border:1px solid rgba(29,28,29,.3);background:#fff;color:#1d1c1d;font:700 13px "Lato",
 "Helvetica Neue",Arial,sans-serif;cursor:pointer;white-space:nowrap}
.btn.primary{background:#007a5a;border-color:#007a5a;color:#fff}
.btn.danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
.btn.overflow{padding:0 8px}
.b-select{height:28px;border-radius:4px;border:1px solid rgba(29,28,29,.3);background:#fff;
 font:13px "Lato",Arial,sans-serif;padding:0 6px;max-width:320px}
.b-picker,.b-textbox{display:inline-block;border:1px solid rgba(29,28,29,.3);border-radius:4px;
 padding:2px 10px;font-size:13px;color:#616061}
.b-choices{list-style:none;padding:0;margin:4px 0}
.b-input{margin:8px 0}.b-input label{display:block;font-weight:700}
.b-image,.b-alt{color:#616061;font-style:italic}
.thread{margin-top:6px;border-left:3px solid #e2e2e2;padding-left:4px}
.thread .msg{padding:6px 8px}
.thread-count{color:#1264a3;font-weight:700;font-size:13px;padding-left:8px}
.ephemeral{background:#fbfaf6}
.only-you{color:#616061;font-size:12px;margin-top:4px}
.action{display:flex;align-items:center;gap:8px;margin:6px 20px 2px 64px;color:#616061;
 font-size:13px}
.action time{margin-left:auto}
.note{margin:2px 20px 2px 64px;color:#616061;font-size:13px;font-style:italic}
.file{display:inline-flex;align-items:center;gap:10px;border:1px solid #ddd;border-radius:8px;
 padding:8px 14px;margin-top:4px;min-width:260px}
.file-icon{font-size:26px}
.file small{color:#616061}
.home{max-width:760px;padding:8px 24px}
"""
