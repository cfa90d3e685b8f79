"""How the app looks, light and dark, wide and narrow: the stylesheet and the page script.

Colours come from gradio's theme variables (`--body-text-color`, `--block-background-fill`, …), which
gradio switches when the OS asks for dark mode; the few colours of our own (highlight, badges,
draft and lead marks) have a dark variant under `.dark`, each pair readable at WCAG AA (≥ 4.5:1).
"""

from __future__ import annotations

CSS = """
.pq-source, .pq-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 6px 10px;
  margin: 6px 0; background: var(--block-background-fill); color: var(--body-text-color); }
.pq-source summary { cursor: pointer; font-weight: 600; }
.pq-clause { white-space: pre-wrap; line-height: 1.7; margin-top: 6px; }
mark.pq-hl, .pq-source mark, .pq-card mark, .pq-table mark { background: #ffe58f; color: #1f2328; padding: 0 2px; }
.dark mark.pq-hl, .dark .pq-source mark, .dark .pq-card mark, .dark .pq-table mark { background: #6b5300; color: #fff4cc; }
.pq-draft { color: #a14206; font-weight: 600; }
.dark .pq-draft { color: #f7b37a; }
.pq-lead { color: #0550ae; font-weight: 700; }
.dark .pq-lead { color: #8cc4ff; }
.pq-refused { color: #b42318; }
.dark .pq-refused { color: #ff9b8f; }
.pq-empty, .pq-muted { color: var(--body-text-color-subdued); padding: 12px; }
.pq-badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 0.85em; margin-top: 4px; }
.pq-badge-strong { background: #dafbe1; color: #116329; }
.pq-badge-fair { background: #fff1c2; color: #6b4a00; }
.pq-badge-weak, .pq-badge-refused { background: #ffe2dd; color: #9a1c12; }
.dark .pq-badge-strong { background: #12361d; color: #8ee5a4; }
.dark .pq-badge-fair { background: #3d3000; color: #ffd866; }
.dark .pq-badge-weak, .dark .pq-badge-refused { background: #4a1410; color: #ffb4a9; }
a.pq-cite { font-weight: 600; text-decoration: none; margin: 0 1px; color: var(--link-text-color, #0550ae); }
.pq-group { display: none; }
.pq-group.pq-current { display: block; }
.pq-group-title { font-weight: 600; margin: 4px 0; color: var(--body-text-color); }
.pq-source.pq-flash { outline: 3px solid #e3a008; }
.pq-source-links { margin-top: 4px; font-size: 0.9em; }
.pq-source-links a { margin-right: 12px; }
.pq-inline-sources { display: none; margin-top: 6px; }
.pq-inline-sources > summary { cursor: pointer; font-weight: 600; }
.pq-notice { font-style: italic; }
.pq-table-scroll { overflow-x: auto; max-width: 100%; max-height: 560px; overflow-y: auto; }
.pq-table { border-collapse: collapse; min-width: 900px; color: var(--body-text-color);
  background: var(--block-background-fill); }
.pq-table th, .pq-table td { border: 1px solid var(--border-color-primary); padding: 4px 8px; vertical-align: top;
  text-align: left; }
.pq-table th { background: var(--background-fill-secondary); position: sticky; top: 0; }
.pq-table td.pq-wrap { white-space: normal; min-width: 320px; max-width: 560px; line-height: 1.6; }
.pq-confirm { border: 2px solid #b42318; border-radius: 8px; padding: 8px; }
.dark .pq-confirm { border-color: #ff9b8f; }
#pq-page-image img { border: 1px solid var(--border-color-primary); }
@media (max-width: 768px) {
  #pq-sources-col { display: none !important; }
  .pq-inline-sources { display: block; }
  .pq-table { min-width: 640px; }
  #pq-tabs .tab-container button { padding-left: 7px !important; padding-right: 7px !important; min-width: 0 !important; }
}
"""

# Runs before gradio's own script (ui.i18n puts it first in <head>): the interface language is
# Chinese whatever the browser's language, and citation links open their clause in the page.
SCRIPT = r"""
(() => {
  try {
    Object.defineProperty(Navigator.prototype, 'language', {get: () => 'zh-CN', configurable: true});
    Object.defineProperty(Navigator.prototype, 'languages', {get: () => ['zh-CN', 'zh'], configurable: true});
  } catch (e) {}
  const showGroup = (panel, answer) => panel.querySelectorAll('.pq-group').forEach(
    (g) => g.classList.toggle('pq-current', g.dataset.answer === answer));
  document.addEventListener('click', (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const panel = document.querySelector('#pq-sources');
    const wide = panel && panel.offsetParent !== null;
    const number = (node, kind) => ((node.className || '').match(new RegExp(`pq-${kind}-(\\d+)`)) || [])[1];
    const link = target.closest('a.pq-cite');
    if (!link) {
      const message = target.closest('#pq-chat .pq-answer');
      if (message && wide && !target.closest('a, summary, details')) showGroup(panel, number(message, 'a'));
      return;
    }
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    event.stopPropagation();
    const answer = number(link, 'a'), n = number(link, 'n');
    let item = null;
    if (wide) {
      showGroup(panel, answer);
      item = panel.querySelector(`.pq-group[data-answer="${answer}"] details[data-n="${n}"]`);
    } else {
      const inline = link.closest('.pq-answer')?.querySelector('.pq-inline-sources');
      if (inline) { inline.open = true; item = inline.querySelector(`details.pq-n-${n}`); }
    }
    if (item) {
      item.open = true;
      item.scrollIntoView({block: 'nearest'});
      item.classList.add('pq-flash');
      setTimeout(() => item.classList.remove('pq-flash'), 1600);
    }
  }, true);
})();
"""
