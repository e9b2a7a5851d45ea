"""What the web app looks like: theme, style sheet and the two bits of JavaScript it runs. All served from this
process: system fonts only, no CDN, no analytics, so it works offline."""

from __future__ import annotations

import gradio as gr

APP_TITLE = "Contract review assistant"
EXAMPLE_QUESTIONS = (
    "How much notice is needed to terminate for convenience?",
    "What is the cap on each party's liability?",
    "Which law governs the agreement?",
    "How long is the termination assistance period?",
)

THEME = gr.themes.Soft(
    primary_hue="blue",
    neutral_hue="slate",
    font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
)

# Clicks on anything with data-passage="<key>" inside the component become one Python click event.
PASSAGE_LINKS_JS = """
element.addEventListener('click', (event) => {
  const link = event.target.closest('[data-passage]');
  if (!link || !element.contains(link)) return;
  event.preventDefault();
  trigger('click', {passage: link.dataset.passage});
});
"""
# The viewer brings the highlighted quote into view whenever it shows a new passage.
SCROLL_TO_MARK_JS = """
watch('value', () => {
  const mark = element.querySelector('mark');
  if (mark) mark.scrollIntoView({block: 'center'});
});
"""

CSS = """
.gradio-container { max-width: 1320px !important; }
#app-header { align-items: center; margin-bottom: 0; }
#ws-controls { align-items: flex-end; }
#create-workspace { margin-bottom: 10px; }
.brand h1 { font-size: 1.4rem; margin: 0; font-weight: 700; letter-spacing: -0.01em; }
.brand p { margin: 2px 0 0; color: var(--body-text-color-subdued); font-size: 0.9rem; }
.ws-status { color: var(--body-text-color-subdued); font-size: 0.88rem; margin: 0 2px 6px; }
.ws-status b { color: var(--body-text-color); font-weight: 600; }
.hint { color: var(--body-text-color-subdued); font-size: 0.85rem; margin: 2px 0 8px; }
.empty { color: var(--body-text-color-subdued); padding: 18px 4px; text-align: center; }
.pill { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 0.78rem; font-weight: 600; white-space: nowrap; }
.pill.ok { background: #dcfce7; color: #166534; }
.pill.warn { background: #fef3c7; color: #92400e; }
.pill.bad { background: #fee2e2; color: #991b1b; }
.pill.info { background: #dbeafe; color: #1e40af; }
.pill.muted { background: var(--background-fill-secondary); color: var(--body-text-color-subdued); }
.sev { font-size: 0.78rem; font-weight: 600; text-transform: uppercase; letter-spacing: 0.03em; }
.sev.high { color: #b91c1c; } .sev.medium { color: #b45309; } .sev.low { color: var(--body-text-color-subdued); }
.dark .sev.high { color: #fca5a5; } .dark .sev.medium { color: #fcd34d; }
table.grid { width: 100%; border-collapse: collapse; font-size: 0.88rem; }
table.grid th { text-align: left; font-weight: 600; font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.03em;
  color: var(--body-text-color-subdued); border-bottom: 1px solid var(--border-color-primary); padding: 8px 10px; position: sticky; top: 0;
  background: var(--background-fill-primary); z-index: 1; }
table.grid td { border-bottom: 1px solid var(--border-color-primary); padding: 8px 10px; vertical-align: top; overflow-wrap: anywhere; }
table.grid td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.uploads { table-layout: auto; }
table.uploads td.file { min-width: 14em; overflow-wrap: break-word; word-break: normal; }
table.grid .sub { color: var(--body-text-color-subdued); font-size: 0.8rem; }
table.grid .detail { color: #991b1b; font-size: 0.82rem; }
table.grid .detail.warn, .flags summary { color: #92400e; font-size: 0.82rem; }
.dark table.grid .detail.warn, .dark .flags summary { color: #fcd34d; }
.dark table.grid .detail { color: #fca5a5; }
table.audit tr.present td:first-child { box-shadow: inset 4px 0 0 #22c55e; }
table.audit tr.weak td:first-child { box-shadow: inset 4px 0 0 #f59e0b; }
table.audit tr.missing td:first-child { box-shadow: inset 4px 0 0 #ef4444; }
table.audit tr.present { background: rgba(34, 197, 94, 0.06); }
table.audit tr.weak { background: rgba(245, 158, 11, 0.09); }
table.audit tr.missing { background: rgba(239, 68, 68, 0.08); }
table.audit details summary { cursor: pointer; color: var(--color-accent); font-size: 0.82rem; }
table.audit details p { margin: 6px 0 0; font-size: 0.84rem; line-height: 1.45; }
.conf { display: inline-block; width: 44px; height: 5px; border-radius: 3px; background: var(--background-fill-secondary); vertical-align: middle; margin-left: 6px; overflow: hidden; }
.conf i { display: block; height: 100%; background: var(--color-accent); }
a.ev, a.source, a.cite, a.term, a.el { color: var(--color-accent); text-decoration: none; cursor: pointer; }
a.ev:hover, a.source:hover, a.cite:hover, a.term:hover, a.el:hover { text-decoration: underline; }
a.ev { display: block; max-width: 260px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-size: 0.84rem; line-height: 1.6; }
a:focus { outline: none; } a:focus-visible { outline: 2px solid var(--color-accent); border-radius: 3px; }
table.audit { table-layout: fixed; min-width: 1000px; }
a.cite { font-weight: 600; font-size: 0.85em; padding: 0 4px; border-radius: 4px; background: var(--color-accent-soft); }
.table-scroll { max-height: 620px; overflow: auto; border: 1px solid var(--border-color-primary); border-radius: var(--radius-lg); }
.summary-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); gap: 10px; margin-bottom: 4px; align-items: start; }
#audit-summary .summary-cards { max-height: 380px; overflow: auto; }
.card { border: 1px solid var(--border-color-primary); border-radius: var(--radius-lg); padding: 12px 14px; background: var(--background-fill-primary); }
.card details summary { cursor: pointer; color: var(--color-accent); font-size: 0.84rem; margin-top: 4px; }
.card h4 { margin: 0 0 6px; font-size: 0.95rem; font-weight: 600; overflow-wrap: anywhere; }
.card .counts { display: flex; gap: 6px; margin-bottom: 6px; flex-wrap: wrap; }
.card ul { margin: 4px 0 0; padding-left: 18px; font-size: 0.84rem; }
.card details.gaps summary { color: #b91c1c; }
.dark .card details.gaps summary { color: #fca5a5; }
.chat { display: flex; flex-direction: column; gap: 14px; padding: 6px 4px; }
.msg { display: flex; }
.msg.user { justify-content: flex-end; }
.bubble { max-width: 85%; border-radius: 14px; padding: 10px 14px; line-height: 1.5; font-size: 0.93rem; }
.msg.user .bubble { background: var(--color-accent); color: white; border-bottom-right-radius: 4px; }
.msg.bot .bubble { background: var(--background-fill-primary); border: 1px solid var(--border-color-primary); border-bottom-left-radius: 4px; }
.bubble p { margin: 0 0 8px; } .bubble p:last-child { margin-bottom: 0; }
.bubble table { border-collapse: collapse; margin: 6px 0; font-size: 0.86rem; }
.bubble th, .bubble td { border: 1px solid var(--border-color-primary); padding: 3px 8px; }
.key-value { display: inline-block; margin-bottom: 8px; padding: 3px 10px; border-radius: 8px; background: var(--color-accent-soft); font-weight: 600; }
.not-answered { color: var(--body-text-color-subdued); font-style: italic; }
.sources { margin-top: 10px; padding-top: 8px; border-top: 1px dashed var(--border-color-primary); font-size: 0.84rem; }
.sources .title { font-weight: 600; font-size: 0.76rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--body-text-color-subdued); margin-bottom: 4px; }
.sources ol { margin: 0; padding-left: 0; list-style: none; }
.sources li { margin: 3px 0; }
.sources .num { display: inline-block; min-width: 20px; text-align: center; border-radius: 5px; background: var(--color-accent-soft); font-weight: 600; margin-right: 4px; }
.sources .q { display: block; color: var(--body-text-color-subdued); margin-left: 26px; font-size: 0.8rem; }
.meta-line { margin-top: 6px; font-size: 0.75rem; color: var(--body-text-color-subdued); }
.typing::after { content: "\u258d"; animation: blink 1s steps(2) infinite; }
@keyframes blink { 50% { opacity: 0; } }
.chat-empty { text-align: center; color: var(--body-text-color-subdued); padding: 60px 20px; }
.chat-empty h3 { color: var(--body-text-color); margin-bottom: 4px; }
.passage h3 { margin: 0 0 2px; font-size: 1.05rem; word-break: break-all; }
.passage .where { font-size: 0.86rem; margin-bottom: 2px; }
.passage .where b { font-weight: 600; }
.passage .label { font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.03em; color: var(--body-text-color-subdued); }
.passage .offsets { font-size: 0.76rem; color: var(--body-text-color-subdued); margin-bottom: 10px; }
.passage .ocr-note { font-size: 0.8rem; background: #fef3c7; color: #92400e; border-radius: 4px; padding: 4px 8px; margin: -4px 0 10px; }
.passage .body { white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-word; font-size: 0.86rem; line-height: 1.55; border: 1px solid var(--border-color-primary);
  border-radius: var(--radius-lg); padding: 12px; background: var(--background-fill-primary); max-height: 70vh; overflow: auto; }
.passage mark { background: #fde68a; color: inherit; padding: 1px 0; border-radius: 2px; box-shadow: 0 0 0 2px #fde68a; }
.dark .passage mark { background: #a16207; box-shadow: 0 0 0 2px #a16207; }
.passage .gone { color: #991b1b; }
.settings { max-width: 980px; }
.settings h3 { font-size: 1rem; margin: 14px 0 8px; font-weight: 600; }
.settings-table td:first-child { width: 34%; color: var(--body-text-color-subdued); }
.settings-table code, .env code { font-family: var(--font-mono); font-size: 0.84rem; }
.deal h4 .sub { font-weight: 400; }
table.review-grid td { min-width: 150px; } table.review-grid td.notfound { color: var(--body-text-color-subdued); font-style: italic; }
table.compare .clause-text { font-size: 0.84rem; line-height: 1.5; white-space: pre-wrap; }
table.compare del { background: #fee2e2; color: #991b1b; } table.compare ins { background: #dcfce7; color: #166534; text-decoration: none; }
.dark table.compare del { background: #7f1d1d; color: #fecaca; } .dark table.compare ins { background: #14532d; color: #bbf7d0; }
table.compare tr.changed td:first-child { box-shadow: inset 4px 0 0 #f59e0b; } table.compare tr.removed td:first-child { box-shadow: inset 4px 0 0 #ef4444; }
table.compare tr.added td:first-child { box-shadow: inset 4px 0 0 #3b82f6; }
.flag { font-size: 0.76rem; font-weight: 600; margin-top: 4px; }
table.lifecycle tr.present td:first-child { box-shadow: inset 4px 0 0 #22c55e; } table.lifecycle tr.weak td:first-child { box-shadow: inset 4px 0 0 #f59e0b; }
table.lifecycle tr.missing td:first-child { box-shadow: inset 4px 0 0 #ef4444; }
table.grid a.ev { max-width: none; white-space: normal; }
footer { display: none !important; }
"""
