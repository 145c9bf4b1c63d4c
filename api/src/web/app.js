// 联办 pages: the helpers every page uses, and the leadership board, the department queue and a
// case's page (the sign-in and account pages are account.js's, the admin page admin.js's).
// Everything shown comes from /graphql; everything refused is the API's refusal.
'use strict';

const TZ = 'Asia/Shanghai';
const DATE_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', hour12: false,
});
const TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});
const LIGHTS = { GREEN: '绿灯', YELLOW: '黄灯', RED: '红灯' };
const OPINIONS = {
  APPROVE: '同意', APPROVE_WITH_CONDITIONS: '附条件同意', REJECT: '不同意',
  NEEDS_SUPPLEMENT: '需补正材料', DEEMED_APPROVED: '默认同意',
};
const TASK_STATUS = {
  OPEN: '审查中', AWAITING_SUPPLEMENT: '待补正', RESOLVED: '已办结', CANCELLED: '已撤销',
};
const CASE_STATUS = {
  RECEIVED: '已收件', ANSWERED: '已答复', SUPPLEMENT_REQUIRED: '待补正', RETURNED: '已退回',
  NOT_ACCEPTED: '不予受理', ACCEPTED: '已受理', IN_REVIEW: '审查中', SUSPENDED: '已中止',
  AWAITING_DECISION: '待决定', DECIDED: '已决定', REPORTED_UP: '已上报', DELIVERED: '已送达',
  ARCHIVED: '已归档', WITHDRAWN: '已撤回',
};
const LEVELS = { SUPERVISION: '督办', YELLOW_CARD: '黄牌', RED_CARD: '红牌' };
const EVENTS = {
  CASE_OPENED: '收件', CASE_ACCEPTED: '受理', CASE_ANSWERED: '答复', CASE_SUSPENDED: '中止计时',
  CASE_RESUMED: '恢复计时', CASE_EXTENDED: '延期', CASE_AWAITING_DECISION: '各部门意见齐备',
  CASE_DECIDED: '作出决定', CASE_REPORTED_UP: '上报', UPPER_ANSWER_RECORDED: '上级答复',
  RESULT_DELIVERED: '送达', CASE_ARCHIVED: '归档', CASE_WITHDRAWN: '撤回', CASE_EVALUATED: '评价',
  TASK_CREATED: '分派环节', TASK_REASSIGNED: '改派', TASK_TRANSFERRED: '转办', TASK_RESOLVED: '环节办结',
  TASK_CANCELLED: '环节撤销', TASK_REOPENED: '环节重开', TASK_AWAITING_SUPPLEMENT: '环节待补正',
  TASK_DEEMED_APPROVED: '默认同意', OPINION_SUBMITTED: '提交意见', NOTICE_ISSUED: '出具文书',
  SUPPLEMENT_REQUESTED: '一次性告知补正', MATERIALS_RESUBMITTED: '补正材料到位',
  NEGATIVE_REPORT_FILED: '否定报备', NEGATIVE_REPORT_SIGNED: '报备签批', NEGATIVE_REPORT_DECLINED: '报备退回',
  OBJECTION_OVERRULED: '不采纳否定意见', ESCALATED: '预警升级', SUPERVISION_OPENED: '督办立项',
  SUPERVISION_ASSIGNED: '督办交办', SUPERVISION_CHASED: '催办', SUPERVISION_ANSWERED: '督办反馈',
  SUPERVISION_ARCHIVED: '督办归档', COMPLAINT_FILED: '投诉', COMPLAINT_REPLIED: '投诉答复',
  COMPLAINT_VERIFIED: '投诉核实', SCORE_RECORDED: '考核记分', FOLLOW_UP_ALERTED: '跟踪提醒',
};
const TOKEN = 'lianban.token';

function when(iso) { return iso ? DATE_TIME.format(new Date(iso)) : '—'; }

/** A DOM element; strings become text (never HTML). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    // Styles through the CSSOM: the pages' Content-Security-Policy allows no inline style.
    else if (key === 'style') Object.assign(node.style, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function light(value) {
  if (!value) return '—';
  return el('span', { class: 'light ' + value.toLowerCase(), 'data-light': value }, LIGHTS[value] || value);
}

function show(...nodes) {
  const app = document.getElementById('app');
  app.replaceChildren(...nodes.flat().filter((n) => n !== null && n !== undefined));
}

function failure(error) {
  const code = error.code ? `（${error.code}${error.field ? '：' + error.field : ''}）` : '';
  return el('p', { class: 'error', role: 'alert' }, error.message + code);
}

/** One GraphQL request; an error carries the API's code and field. */
async function gql(query, variables) {
  const headers = { 'content-type': 'application/json' };
  const token = sessionStorage.getItem(TOKEN);
  if (token) headers.authorization = 'Bearer ' + token;
  const response = await fetch('/graphql', {
    method: 'POST', headers, body: JSON.stringify({ query, variables: variables || {} }),
  });
  const body = await response.json();
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    const error = new Error(first.message);
    error.code = first.extensions && first.extensions.code;
    error.field = first.extensions && first.extensions.field;
    if (error.code === 'UNAUTHENTICATED' && document.body.dataset.page !== 'login') {
      sessionStorage.removeItem(TOKEN);
      location.href = '/?next=' + encodeURIComponent(location.pathname + location.search);
    }
    throw error;
  }
  return body.data;
}

/** Ends the session on the server (the token stops working), then forgets it here. */
async function signOut() {
  try { await gql('mutation { logout }'); } catch { /* signed out already */ }
  sessionStorage.removeItem(TOKEN);
  location.href = '/';
}

function reads(roles, ...wanted) { return roles.some((r) => wanted.includes(r)); }

function home(roles) {
  return reads(roles, 'LEADER', 'SUPERVISOR', 'CENTER_ADMIN') ? '/board' : '/queue';
}

/** The bar: who is signed in and the pages they may open. */
async function navigation() {
  const data = await gql('{ me { id name roles department { id name } } }');
  const me = data.me;
  const nav = document.getElementById('nav');
  const links = [];
  if (reads(me.roles, 'LEADER', 'SUPERVISOR', 'CENTER_ADMIN')) links.push(el('a', { href: '/board' }, '领导看板'));
  links.push(el('a', { href: '/queue' }, '部门待办'));
  if (reads(me.roles, 'CENTER_ADMIN', 'DEPT_HEAD')) links.push(el('a', { href: '/admin' }, '组织管理'));
  nav.replaceChildren(...links, el('a', { id: 'who', href: '/account' }, `${me.name} · ${me.department ? me.department.name : ''}`),
    el('button', { type: 'button', id: 'logout', onclick: signOut }, '退出'));
  return me;
}

// ---- 领导看板 ------------------------------------------------------------------------------

const BOARD = `{ leadershipBoard {
  at year month
  centre { open yellow red paused openSupervision redCardItems onTimeRate finishedThisMonth onTimeThisMonth }
  departments { name department { id } counts { open yellow red openSupervision onTimeRate finishedThisMonth onTimeThisMonth } oldestItemAgeDays }
  oldestOverdue { number case { id } department { name } staff { name } dueAt overdueDays }
  openItems { ageDays item { id title level status department { name } assignee { name } case { id number } openedAt replyDueAt } }
} }`;

function percent(rate) { return rate === null || rate === undefined ? '—' : (rate * 100).toFixed(1) + '%'; }

function renderBoard(board) {
  const c = board.centre;
  const tiles = el('div', { class: 'tiles', id: 'centre' },
    [['在办', c.open], ['黄灯', c.yellow], ['红灯', c.red], ['暂停计时', c.paused],
      ['督办在办', c.openSupervision], ['红牌', c.redCardItems], ['本月按时办结率', percent(c.onTimeRate)]]
      .map(([name, value]) => el('div', { class: 'tile' }, name, el('b', {}, value))));
  const ranked = [...board.departments].sort((a, b) => b.counts.red - a.counts.red || b.counts.yellow - a.counts.yellow);
  const departments = el('div', { class: 'scroll' }, el('table', { id: 'departments' },
    el('thead', {}, el('tr', {}, el('th', {}, '部门'), el('th', {}, '红灯'), el('th', {}, '黄灯'), el('th', {}, '在办'),
      el('th', {}, '督办'), el('th', { class: 'hide-narrow' }, '最久督办（天）'))),
    el('tbody', {}, ranked.map((d) => el('tr', {},
      el('td', {}, d.name), el('td', {}, d.counts.red), el('td', {}, d.counts.yellow), el('td', {}, d.counts.open),
      el('td', {}, d.counts.openSupervision), el('td', { class: 'hide-narrow' }, d.oldestItemAgeDays ?? '—'))))));
  const chart = el('div', { class: 'bars', id: 'ontime', role: 'img', 'aria-label': '本月各部门按时办结率' },
    board.departments.map((d) => el('div', { class: 'barrow' },
      el('span', {}, d.name),
      el('span', { class: 'track' }, el('span', { class: 'fill', style: { display: 'block', width: `${Math.round((d.counts.onTimeRate ?? 0) * 100)}%` } })),
      el('span', {}, percent(d.counts.onTimeRate)))));
  const red = board.oldestOverdue.length
    ? el('div', { class: 'scroll' }, el('table', { id: 'red' },
      el('thead', {}, el('tr', {}, el('th', {}, '办件'), el('th', {}, '部门'), el('th', {}, '承办人'), el('th', {}, '期限'), el('th', {}, '超期（工作日）'))),
      el('tbody', {}, board.oldestOverdue.map((o) => el('tr', {},
        el('td', {}, o.case ? el('a', { href: '/cases/' + o.case.id }, o.number) : o.number),
        el('td', {}, o.department ? o.department.name : '—'), el('td', {}, o.staff ? o.staff.name : '—'),
        el('td', {}, when(o.dueAt)), el('td', {}, light('RED'), ' ', o.overdueDays))))))
    : el('p', { class: 'muted', id: 'red' }, '没有超期办件。');
  const items = board.openItems.length
    ? el('div', { class: 'scroll' }, el('table', { id: 'items' },
      el('thead', {}, el('tr', {}, el('th', {}, '督办事项'), el('th', {}, '级别'), el('th', {}, '责任部门'), el('th', {}, '承办人'), el('th', {}, '已督办（天）'), el('th', { class: 'hide-narrow' }, '反馈期限'))),
      el('tbody', {}, board.openItems.map(({ ageDays, item }) => el('tr', {},
        el('td', {}, item.case ? el('a', { href: '/cases/' + item.case.id }, item.title) : item.title),
        el('td', {}, LEVELS[item.level] || item.level), el('td', {}, item.department ? item.department.name : '—'),
        el('td', {}, item.assignee ? item.assignee.name : '待分派'), el('td', {}, ageDays),
        el('td', { class: 'hide-narrow' }, when(item.replyDueAt)))))))
    : el('p', { class: 'muted', id: 'items' }, '没有在办督办事项。');
  show(el('h1', {}, `领导看板 · ${board.year}年${board.month}月`),
    el('p', { class: 'muted', id: 'updated' }, '更新于 ' + TIME.format(new Date())),
    tiles, el('h2', {}, '超期办件（红灯）'), red, el('h2', {}, '各部门红黄灯'), departments,
    el('h2', {}, '本月按时办结率'), chart, el('h2', {}, '在办督办事项'), items);
}

async function boardPage() {
  await navigation();
  const every = Math.max(2, Number(new URLSearchParams(location.search).get('every')) || 30);
  const refresh = async () => {
    try { renderBoard((await gql(BOARD)).leadershipBoard); } catch (error) { show(failure(error)); }
  };
  await refresh();
  setInterval(refresh, every * 1000);
}

// ---- 部门待办 ------------------------------------------------------------------------------

const QUEUE = `query($d: ID!) { departmentBoard(departmentId: $d) {
  department { name } counts { open yellow red }
  queue { id status dueAt light remaining { text overdue } assignee { id name } actingFor { name }
    case { id number matter { name } } }
  away { absence { startsAt endsAt reason } staff { name } acting { name } }
} }`;

async function queuePage() {
  const me = await navigation();
  if (!me.department) { show(el('p', { class: 'muted' }, '没有所属部门。')); return; }
  let board;
  try { board = (await gql(QUEUE, { d: me.department.id })).departmentBoard; } catch (error) { show(failure(error)); return; }
  const tasks = [...board.queue].sort((a, b) => String(a.dueAt).localeCompare(String(b.dueAt)));
  const table = tasks.length
    ? el('div', { class: 'scroll' }, el('table', { id: 'queue' },
      el('thead', {}, el('tr', {}, el('th', {}, '办件'), el('th', { class: 'hide-narrow' }, '事项'), el('th', {}, '灯'), el('th', {}, '剩余'), el('th', {}, '期限'), el('th', {}, '承办人'))),
      el('tbody', {}, tasks.map((t) => el('tr', { 'data-task': t.id, class: t.assignee && t.assignee.id === me.id ? 'mine' : null },
        el('td', {}, el('a', { href: `/cases/${t.case.id}?task=${t.id}` }, t.case.number)),
        el('td', { class: 'hide-narrow' }, t.case.matter ? t.case.matter.name : '—'),
        el('td', {}, light(t.light)), el('td', {}, t.remaining ? t.remaining.text : '—'), el('td', {}, when(t.dueAt)),
        el('td', {}, t.assignee ? t.assignee.name : '—', t.actingFor ? `（代 ${t.actingFor.name}）` : ''))))))
    : el('p', { class: 'muted', id: 'queue' }, '没有待办。');
  const away = board.away.length
    ? el('ul', { id: 'away' }, board.away.map((a) => el('li', {},
      `${a.staff ? a.staff.name : '—'} 离岗 ${when(a.absence.startsAt)} 至 ${when(a.absence.endsAt)}（${a.absence.reason}），`,
      a.acting.length ? `由 ${a.acting.map((s) => s.name).join('、')} 代办` : '无人代办')))
    : el('p', { class: 'muted', id: 'away' }, '今日无人离岗。');
  show(el('h1', {}, `${board.department.name} · 待办`),
    el('div', { class: 'tiles' }, [['待办', board.counts.open], ['黄灯', board.counts.yellow], ['红灯', board.counts.red]]
      .map(([name, value]) => el('div', { class: 'tile' }, name, el('b', {}, value)))),
    el('h2', {}, '按期限排列'), table, el('h2', {}, '离岗与代办'), away);
}

// ---- 办件详情 ------------------------------------------------------------------------------

const CASE = `query($id: ID!) { case(id: $id) {
  id number status matter { name } applicant { name idNumber phone } leadDepartment { name }
  receivedAt acceptedAt dueAt light remaining { text }
  clock { startedAt dueAt stoppedAt state light remaining { text } pauses { from to reason } }
  decision { outcome reason }
  tasks { id status department { name } assignee { name } actingFor { name } dueAt light remaining { text }
    opinion { kind reason legalBasis conditions author { name } createdAt } }
  notices { kind title body issuedAt }
  timeline { kind at actor { name } }
} }`;

/** The case clock on a line: counting time in colour, each pause grey, the due time marked. */
function clockLine(clock) {
  if (!clock) return el('p', { class: 'muted' }, '尚未开始计时。');
  const start = Date.parse(clock.startedAt);
  const due = Date.parse(clock.dueAt);
  const end = Math.max(due, clock.stoppedAt ? Date.parse(clock.stoppedAt) : Date.now(), start + 1);
  const x = (t) => ((t - start) / (end - start)) * 1000;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'timeline');
  svg.setAttribute('viewBox', '0 0 1000 70');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('id', 'clockline');
  const rect = (from, to, fill, label, cls) => {
    const r = document.createElementNS(ns, 'rect');
    r.setAttribute('x', x(from)); r.setAttribute('width', Math.max(2, x(to) - x(from)));
    r.setAttribute('y', 20); r.setAttribute('height', 24); r.setAttribute('fill', fill);
    if (cls) r.setAttribute('class', cls);
    const title = document.createElementNS(ns, 'title'); title.textContent = label; r.append(title);
    svg.append(r);
  };
  rect(start, clock.stoppedAt ? Date.parse(clock.stoppedAt) : Math.min(Date.now(), end), '#2f855a', '计时', 'counting');
  for (const p of clock.pauses) {
    rect(Date.parse(p.from), p.to ? Date.parse(p.to) : end, '#9aa5b1', `暂停：${p.reason}（${when(p.from)} 至 ${p.to ? when(p.to) : '今'}）`, 'pause');
  }
  const mark = document.createElementNS(ns, 'line');
  mark.setAttribute('x1', x(due)); mark.setAttribute('x2', x(due)); mark.setAttribute('y1', 10); mark.setAttribute('y2', 54);
  mark.setAttribute('stroke', '#c53030'); mark.setAttribute('stroke-width', 3);
  svg.append(mark);
  const pauses = clock.pauses.length
    ? el('ul', { id: 'pauses' }, clock.pauses.map((p) => el('li', {}, `暂停 ${when(p.from)} 至 ${p.to ? when(p.to) : '今'}：${p.reason}`)))
    : el('p', { class: 'muted', id: 'pauses' }, '未暂停计时。');
  return el('div', {}, el('p', {}, `起算 ${when(clock.startedAt)}，期限 ${when(clock.dueAt)}，`, light(clock.light), ' ', clock.remaining.text),
    svg, pauses);
}

function opinionForm(task, reload) {
  const message = el('div', { id: 'opinion-message' });
  const kind = el('select', { id: 'kind', name: 'kind' },
    ['APPROVE', 'APPROVE_WITH_CONDITIONS', 'REJECT', 'NEEDS_SUPPLEMENT'].map((k) => el('option', { value: k }, OPINIONS[k])));
  const lines = (id) => document.getElementById(id).value.split('\n').map((s) => s.trim()).filter(Boolean);
  const text = (id) => document.getElementById(id).value.trim() || null;
  const form = el('form', { class: 'card', id: 'opinion' },
    el('h2', {}, `提交 ${task.department ? task.department.name : ''} 意见`),
    el('label', { for: 'kind' }, '意见'), kind,
    el('label', { for: 'conditions' }, '附加条件（每行一条）'), el('textarea', { id: 'conditions' }),
    el('label', { for: 'reason' }, '理由'), el('textarea', { id: 'reason' }),
    el('label', { for: 'legalBasis' }, '法律依据'), el('input', { id: 'legalBasis' }),
    el('label', { for: 'missingItems' }, '需补正材料（每行一项）'), el('textarea', { id: 'missingItems' }),
    el('button', { class: 'primary', type: 'submit' }, '提交'), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.replaceChildren();
    try {
      await gql('mutation($input: SubmitOpinionInput!) { submitOpinion(input: $input) { id } }', { input: {
        taskId: task.id, kind: kind.value, conditions: lines('conditions'), reason: text('reason'),
        legalBasis: text('legalBasis'), missingItems: lines('missingItems'),
      } });
      await reload();
    } catch (error) {
      message.replaceChildren(failure(error));
    }
  });
  return form;
}

async function casePage() {
  await navigation();
  const id = decodeURIComponent(location.pathname.split('/')[2] || '');
  const taskId = new URLSearchParams(location.search).get('task');
  const reload = async () => {
    let c;
    try { c = (await gql(CASE, { id })).case; } catch (error) { show(failure(error)); return; }
    const tasks = el('div', { class: 'scroll' }, el('table', { id: 'tasks' },
      el('thead', {}, el('tr', {}, el('th', {}, '部门'), el('th', {}, '状态'), el('th', {}, '灯'), el('th', {}, '期限'), el('th', {}, '承办人'), el('th', {}, '意见'))),
      el('tbody', {}, c.tasks.map((t) => el('tr', { 'data-task': t.id },
        el('td', {}, t.department ? t.department.name : '—'), el('td', {}, TASK_STATUS[t.status] || t.status),
        el('td', {}, light(t.light)), el('td', {}, when(t.dueAt)),
        el('td', {}, t.assignee ? t.assignee.name : '—', t.actingFor ? `（代 ${t.actingFor.name}）` : ''),
        el('td', { class: 'opinion' }, t.opinion
          ? [OPINIONS[t.opinion.kind] || t.opinion.kind, t.opinion.author ? `（${t.opinion.author.name}，${when(t.opinion.createdAt)}）` : '',
            t.opinion.conditions.length ? el('div', {}, '条件：' + t.opinion.conditions.join('；')) : null,
            t.opinion.reason ? el('div', {}, '理由：' + t.opinion.reason) : null,
            t.opinion.legalBasis ? el('div', {}, '依据：' + t.opinion.legalBasis) : null]
          : '—'))))));
    const open = c.tasks.find((t) => t.id === taskId && t.status === 'OPEN');
    show(el('h1', {}, `${c.number} · ${c.matter ? c.matter.name : ''}`),
      el('p', { id: 'status' }, `状态：${CASE_STATUS[c.status] || c.status}　申请人：${c.applicant.name}（${c.applicant.idNumber}，${c.applicant.phone}）　牵头部门：${c.leadDepartment ? c.leadDepartment.name : '—'}　收件 ${when(c.receivedAt)}`),
      c.decision ? el('p', { id: 'decision' }, `决定：${{ APPROVED: '准予许可', DENIED: '不予许可' }[c.decision.outcome] || c.decision.outcome}${c.decision.reason ? '，' + c.decision.reason : ''}`) : null,
      el('h2', {}, '办件时限'), clockLine(c.clock),
      el('h2', {}, '各部门环节'), tasks,
      open ? opinionForm(open, reload) : null,
      el('h2', {}, '文书'), c.notices.length ? c.notices.map((n) => el('div', { class: 'notice' }, el('b', {}, n.title), `（${when(n.issuedAt)}）\n`, n.body)) : el('p', { class: 'muted' }, '暂无文书。'),
      el('h2', {}, '办理过程'), el('ul', { class: 'events', id: 'timeline' }, c.timeline.map((e) => el('li', {}, `${when(e.at)} ${EVENTS[e.kind] || e.kind}${e.actor ? ' · ' + e.actor.name : ''}`))));
  };
  await reload();
}

// Pages of the other scripts (account.js, admin.js) add themselves here before the page runs.
const PAGES = { board: boardPage, queue: queuePage, case: casePage };
const ANONYMOUS = ['login', 'password'];

document.addEventListener('DOMContentLoaded', async () => {
  const page = document.body.dataset.page;
  if (!ANONYMOUS.includes(page) && !sessionStorage.getItem(TOKEN)) {
    location.href = '/?next=' + encodeURIComponent(location.pathname + location.search);
    return;
  }
  try {
    await PAGES[page]();
  } catch (error) {
    // A temporary password must be changed before anything else.
    if (error.code === 'FORBIDDEN' && /temporary password/.test(error.message) && page !== 'account') {
      location.href = '/account';
      return;
    }
    show(failure(error));
  }
});
