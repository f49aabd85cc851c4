/**
 * The board's pages. The server sends data, never HTML built from it: the script below puts
 * every value in with textContent, so a pod name or an event message a student wrote cannot
 * run in the trainer's browser, and the Content-Security-Policy allows no inline script.
 */
import type { BoardConfig } from '../lib/contracts/board-config';
import { STATE_GROUP } from './model';

const STYLE = `
:root { font-family: system-ui, sans-serif; font-size: 14px; color: #1d2329; }
body { margin: 1.2em 1.6em; }
h1 { font-size: 1.4em; margin: 0 0 0.4em; }
a { color: #0b57d0; }
.summary { display: flex; gap: 1.2em; flex-wrap: wrap; align-items: baseline; margin-bottom: 0.8em; }
.count { font-size: 1.5em; font-weight: 600; }
.count small { font-size: 0.6em; font-weight: 400; color: #555; margin-left: 0.2em; }
.nodes, .window { color: #333; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3em 0.5em; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
th { position: sticky; top: 0; background: #f6f7f9; }
.state { display: inline-block; padding: 0.05em 0.5em; border-radius: 0.8em; font-weight: 600; white-space: nowrap; }
.ready { background: #d7f5dd; color: #0a5c1d; }
.starting { background: #fff1c2; color: #6b4e00; }
.asleep { background: #e8eaee; color: #40464d; }
.failing { background: #ffd9d6; color: #8c1106; }
.detail, .muted { color: #555; }
.problem { color: #8c1106; }
.high { color: #8c1106; font-weight: 600; }
ul { margin: 0; padding-left: 1.1em; }
#status { color: #555; font-size: 0.9em; }
.exercises { display: flex; gap: 2px; flex-wrap: wrap; max-width: 16em; }
.ex { display: inline-block; min-width: 1.6em; text-align: center; border-radius: 0.3em; font-size: 0.85em; padding: 0 0.15em; }
.pass { background: #d7f5dd; color: #0a5c1d; }
.fail { background: #eef0f3; color: #6a7079; }
#exercises ol { margin: 0; padding-left: 1.6em; columns: 2; color: #333; }
#exercises[hidden], .checks[hidden] { display: none; }
`;

const SCRIPT = `
'use strict';
const course = document.body.dataset.course;
const GROUP = ${JSON.stringify(STATE_GROUP)};
const LABEL = { ready: 'ready', waking: 'waking', pulling: 'pulling image', asleep: 'asleep', archived: 'archived',
  'crash-looping': 'crash-looping', 'image-failing': 'image failing', evicted: 'evicted' };
const rows = new Map();
let view;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function ago(iso) {
  if (!iso) return '';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.round(s / 60) + ' min';
  if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.round((s % 3600) / 60) + ' min';
  return Math.floor(s / 86400) + ' d';
}
function cell(child) {
  const td = el('td');
  td.append(child);
  return td;
}
function list(items, render) {
  if (items.length === 0) return el('span', '');
  const ul = el('ul');
  for (const item of items) ul.append(render(item));
  return ul;
}
function renderRow(s) {
  const tr = el('tr');
  tr.id = 'student-' + s.id;
  tr.dataset.state = s.state;
  tr.append(el('td', s.id));
  const state = el('td');
  state.append(el('span', LABEL[s.state] || s.state, 'state ' + GROUP[s.state]));
  if (s.detail) state.append(el('div', s.detail, 'detail'));
  tr.append(state);
  const since = el('td', ago(s.since), 'muted');
  since.dataset.since = s.since || '';
  tr.append(since);
  const active = el('td', s.lastActivity ? ago(s.lastActivity) + ' ago' : '', 'muted');
  active.dataset.ago = s.lastActivity || '';
  tr.append(active);
  tr.append(el('td', s.restarts || ''));
  tr.append(cell(list(s.problems, (p) => {
    const li = el('li', '', 'problem');
    li.append(el('strong', p.pod + ' '), el('span', p.reason), el('span', p.message ? ': ' + p.message : '', 'detail'));
    return li;
  })));
  tr.append(cell(list(s.warnings, (w) => {
    const li = el('li');
    li.append(el('strong', w.reason + ' '), el('span', w.object + ': ' + w.message + (w.count > 1 ? ' (x' + w.count + ')' : ''), 'detail'));
    return li;
  })));
  tr.append(cell(list(s.quota.filter((q) => q.share >= 0.5), (q) =>
    el('li', q.resource + ' ' + q.used + '/' + q.hard, q.share >= 0.9 ? 'high' : ''))));
  if (view.exercises.length > 0) {
    // One box per exercise, numbered as in the list above the table; its tooltip says what fails.
    const boxes = el('div', '', 'exercises');
    s.exercises.forEach((e, i) => {
      const box = el('span', e.passed ? '\u2713' + (i + 1) : String(i + 1), 'ex ' + (e.passed ? 'pass' : 'fail'));
      box.dataset.exercise = e.id;
      box.dataset.passed = String(e.passed);
      box.title = view.exercises[i].title + (e.passed ? ': passes' : ': ' + e.message);
      boxes.append(box);
    });
    const done = el('td');
    done.className = 'checks';
    done.append(el('div', s.exercises.filter((e) => e.passed).length + '/' + s.exercises.length, 'muted'), boxes);
    tr.append(done);
  }
  return tr;
}
function renderExercises() {
  const box = document.getElementById('exercises');
  box.hidden = view.exercises.length === 0;
  document.getElementById('checks-head').hidden = view.exercises.length === 0;
  const ol = el('ol');
  for (const e of view.exercises) {
    const li = el('li', e.title + ' ');
    li.id = 'exercise-' + e.id;
    li.append(el('span', e.passing + '/' + rows.size + ' pass', 'muted'));
    ol.append(li);
  }
  box.replaceChildren(el('strong', 'Exercises'), ol);
}
function renderSummary() {
  const c = view.counts;
  const summary = document.getElementById('summary');
  summary.replaceChildren();
  for (const [key, label] of [['ready', 'ready'], ['starting', 'starting'], ['asleep', 'asleep'], ['failing', 'failing']]) {
    const span = el('span', c[key], 'count ' + key);
    span.id = 'count-' + key;
    span.append(el('small', label));
    summary.append(span);
  }
  const ready = view.nodes.filter((n) => n.ready).length;
  summary.append(el('span', 'nodes: ' + ready + ' ready' + (view.nodes.length > ready ? ', ' + (view.nodes.length - ready) + ' not ready' : ''), 'nodes'));
  const w = view.window;
  const when = (iso) => new Date(iso).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' });
  summary.append(el('span', w ? (w.now ? 'class until ' + when(w.end) : 'next class ' + when(w.start)) : 'no class ahead', 'window'));
}
function render(full) {
  view = full;
  document.getElementById('title').textContent = view.title;
  renderSummary();
  const body = document.getElementById('students');
  rows.clear();
  body.replaceChildren(...view.students.map((s) => { const tr = renderRow(s); rows.set(s.id, tr); return tr; }));
  renderExercises();
}
function patch(p) {
  view = { ...view, counts: p.counts, nodes: p.nodes, window: p.window, exercises: p.exercises };
  renderSummary();
  const body = document.getElementById('students');
  for (const id of p.removed) { rows.get(id)?.remove(); rows.delete(id); }
  for (const s of p.students) {
    const tr = renderRow(s);
    const old = rows.get(s.id);
    if (old) old.replaceWith(tr);
    else {
      const next = [...rows.keys()].filter((k) => k > s.id).sort()[0];
      body.insertBefore(tr, next ? rows.get(next) : null);
    }
    rows.set(s.id, tr);
  }
  renderExercises();
}
function tick() {
  for (const td of document.querySelectorAll('[data-since]')) td.textContent = ago(td.dataset.since);
  for (const td of document.querySelectorAll('[data-ago]')) td.textContent = td.dataset.ago ? ago(td.dataset.ago) + ' ago' : '';
}
const status = document.getElementById('status');
const source = new EventSource(encodeURIComponent(course) + '/events');
source.addEventListener('view', (e) => { render(JSON.parse(e.data)); status.textContent = 'live'; });
source.addEventListener('patch', (e) => patch(JSON.parse(e.data)));
source.onerror = () => { status.textContent = 'reconnecting...'; };
setInterval(tick, 15000);
`;

/** The script of a course page, served as its own file so that the policy can forbid inline scripts. */
export function pageScript(): string {
  return SCRIPT;
}

export function coursePage(config: BoardConfig, course: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(course)}: class board</title>
<style>${STYLE}</style>
</head>
<body data-course="${escapeHtml(course)}">
<p><a href="./">${escapeHtml(config.cluster)}</a> <span id="status">connecting...</span></p>
<h1 id="title">${escapeHtml(course)}</h1>
<div class="summary" id="summary"></div>
<div id="exercises" hidden></div>
<table>
<thead><tr><th>student</th><th>workstation</th><th>since</th><th>IDE used</th><th>restarts</th><th>pods not healthy</th><th>latest warnings</th><th>quota (from half)</th><th id="checks-head" hidden>exercises passed</th></tr></thead>
<tbody id="students"></tbody>
</table>
<script src="board.js"></script>
</body>
</html>
`;
}

export function indexPage(config: BoardConfig): string {
  const items = config.courses
    .map((c) => `<li><a href="${escapeHtml(c.name)}">${escapeHtml(c.title)}</a>${c.archived ? ' (archived)' : ''}</li>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(config.cluster)}: class board</title><style>${STYLE}</style></head>
<body>
<h1>Class board: ${escapeHtml(config.cluster)}</h1>
<ul>
${items}
</ul>
</body>
</html>
`;
}

export function forbiddenPage(): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Not for you</title><style>${STYLE}</style></head>
<body><h1>This board is for the trainers</h1><p>Your account is not one of this cluster's trainers.</p></body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
