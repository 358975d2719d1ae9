import type { FlowDoc } from './flow-doc.js';
import { flowSvg, xmlEscape } from './flow-svg.js';
import { safeJson } from './unsafe-text.js';

const STYLE = `body{font-family:DejaVu Sans Mono,Menlo,Consolas,monospace;margin:0;display:flex;height:100vh}
#flow{overflow:auto;flex:3}#text{flex:2;margin:0;padding:8px;overflow:auto;border-left:1px solid #bbb;white-space:pre-wrap;font-size:12px}
g.msg{cursor:pointer}g.msg.on rect.hit{fill:#e8f0fe}`;

const SCRIPT = `const texts=JSON.parse(document.getElementById('texts').textContent);
const pane=document.getElementById('text');let on=null;
document.querySelectorAll('g.msg').forEach((g)=>g.addEventListener('click',()=>{
if(on)on.classList.remove('on');on=g;g.classList.add('on');pane.textContent=texts[Number(g.dataset.msg)];}));`;

/** One self-contained page (no network): the SVG ladder, and the text of a message beside it when its arrow is clicked. */
export function flowHtml(doc: FlowDoc, title: string): string {
  const texts = doc.messages.map((_, i) => doc.text(i));
  // '<' escaped so no message text can close the script element.
  const json = safeJson(texts).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${xmlEscape(title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<style>${STYLE}</style></head>
<body><div id="flow">${flowSvg(doc)}</div><pre id="text">Click an arrow to see its message.</pre>
<script type="application/json" id="texts">${json}</script>
<script>${SCRIPT}</script></body></html>
`;
}
