// 联办 pages: 组织管理 — the centre admin's departments, staff, posts (AB岗), windows and the
// sign-in log; a department head gets their own department's posts. Every rule (who may, what
// a change may not leave behind, stale edits) is the API's answer, shown as it comes.
'use strict';

const ROLES = {
  WINDOW: '窗口', REVIEWER: '审核', DEPT_HEAD: '部门负责人', CENTER_ADMIN: '中心管理员',
  LEADER: '中心领导', SUPERVISOR: '督查',
};
const OUTCOMES = {
  SIGNED_IN: '成功', MUST_CHANGE_PASSWORD: '成功（临时密码）', WRONG_PASSWORD: '密码错误',
  UNKNOWN_ACCOUNT: '无此账号', DEACTIVATED: '账号已停用', THROTTLED: '尝试过多', PASSWORD_SIGN_IN_OFF: '密码登录已关闭',
  SSO_FAILED: '统一身份认证失败',
};

function field(id, label, attrs, value) {
  return [el('label', { for: id }, label), el('input', { id, name: id, value: value ?? '', ...attrs })];
}

function choice(id, label, options, selected) {
  return [el('label', { for: id }, label),
    el('select', { id, name: id }, options.map(([value, text]) => el('option', { value, selected: value === selected }, text)))];
}

/** Runs a change; shows the API's refusal in `message`, or `done` and reloads the section. */
async function change(message, run, done, reload) {
  message.replaceChildren();
  document.getElementById('admin-message').replaceChildren();
  try {
    const result = await run();
    await reload();
    const box = document.getElementById('admin-message');
    box.replaceChildren(el('p', { class: 'ok', role: 'status' }, typeof done === 'function' ? done(result) : done));
  } catch (error) {
    message.replaceChildren(failure(error));
  }
}

// ---- 部门 ----------------------------------------------------------------------------------

async function departmentsSection(area) {
  const { allDepartments } = await gql('{ allDepartments(includeInactive: true) { id code name duties active version } }');
  const message = el('div');
  const form = el('form', { class: 'card', id: 'department-form' }, el('h2', {}, '新建或修改部门'),
    el('input', { type: 'hidden', name: 'id' }), el('input', { type: 'hidden', name: 'version' }),
    field('code', '部门代码', { required: true }), field('name', '部门名称', { required: true }),
    el('label', { for: 'duties' }, '工作职责（公开）'), el('textarea', { id: 'duties', name: 'duties' }),
    el('button', { class: 'primary', type: 'submit' }, '保存'), message);
  const reload = () => departmentsSection(area);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = { code: form.code.value, name: form.name.value, duties: form.duties.value };
    if (form.id.value) Object.assign(input, { id: form.id.value, expectedVersion: Number(form.version.value) });
    change(message, () => gql('mutation($i: DepartmentInput!) { saveDepartment(input: $i) { id } }', { i: input }),
      '部门已保存。', reload);
  });
  const rows = allDepartments.map((d) => el('tr', { 'data-code': d.code, class: d.active ? '' : 'muted' },
    el('td', {}, d.code), el('td', {}, d.name), el('td', { class: 'hide-narrow' }, d.duties || '—'),
    el('td', {}, d.active ? '在用' : '已停用'),
    el('td', {}, d.active ? [
      el('button', { type: 'button', onclick: () => {
        form.id.value = d.id; form.version.value = d.version; form.code.value = d.code;
        form.name.value = d.name; form.duties.value = d.duties; form.scrollIntoView();
      } }, '修改'), ' ',
      el('button', { type: 'button', onclick: () => change(message,
        () => gql('mutation($id: ID!, $v: Int!) { deactivateDepartment(id: $id, expectedVersion: $v) { id } }', { id: d.id, v: d.version }),
        `${d.name} 已停用。`, reload) }, '停用')] : '—')));
  area.replaceChildren(el('div', { class: 'scroll' }, el('table', { id: 'department-list' },
    el('thead', {}, el('tr', {}, ['代码', '名称', '职责', '状态', ''].map((h, i) => el('th', { class: i === 2 ? 'hide-narrow' : null }, h)))),
    el('tbody', {}, rows))), form);
}

// ---- 人员 ----------------------------------------------------------------------------------

async function staffSection(area) {
  const data = await gql(`{ allDepartments { id code name }
    staffMembers(includeInactive: true) { id username name email roles active version ssoSubject department { id name } } }`);
  const message = el('div');
  const departments = data.allDepartments.map((d) => [d.id, d.name]);
  const roleBoxes = Object.entries(ROLES).map(([role, name]) => el('label', { class: 'check' },
    el('input', { type: 'checkbox', name: 'roles', value: role }), ' ', name));
  const form = el('form', { class: 'card', id: 'staff-form' }, el('h2', {}, '新建或修改人员'),
    el('input', { type: 'hidden', name: 'id' }), el('input', { type: 'hidden', name: 'version' }),
    field('username', '用户名', { required: true, autocomplete: 'off' }), field('name', '姓名', { required: true }),
    field('email', '邮箱', { required: true, type: 'email' }), choice('department', '部门', departments),
    el('fieldset', { id: 'roles' }, el('legend', {}, '角色'), roleBoxes),
    field('sso', '统一身份认证标识（可空）', {}),
    el('button', { class: 'primary', type: 'submit' }, '保存'), message);
  const reload = () => staffSection(area);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = {
      username: form.username.value, name: form.name.value, email: form.email.value, departmentId: form.department.value,
      roles: roleBoxes.map((l) => l.firstChild).filter((b) => b.checked).map((b) => b.value), ssoSubject: form.sso.value || null,
    };
    if (form.id.value) Object.assign(input, { id: form.id.value, expectedVersion: Number(form.version.value) });
    change(message, () => gql('mutation($i: StaffInput!) { saveStaff(input: $i) { staff { username } linkExpiresAt } }', { i: input }),
      (r) => (r.saveStaff.linkExpiresAt ? `已保存；设置密码的链接已发送到 ${input.email}。` : '已保存。'), reload);
  });
  const edit = (s) => {
    form.id.value = s.id; form.version.value = s.version; form.username.value = s.username; form.name.value = s.name;
    form.email.value = s.email || ''; form.department.value = s.department ? s.department.id : ''; form.sso.value = s.ssoSubject || '';
    roleBoxes.forEach((l) => { l.firstChild.checked = s.roles.includes(l.firstChild.value); });
    form.scrollIntoView();
  };
  const act = (label, query, vars, done) => el('button', { type: 'button', onclick: () => change(message, () => gql(query, vars), done, reload) }, label);
  const rows = data.staffMembers.map((s) => el('tr', { 'data-username': s.username, class: s.active ? '' : 'muted' },
    el('td', {}, s.username), el('td', {}, s.name), el('td', {}, s.department ? s.department.name : '—'),
    el('td', { class: 'hide-narrow' }, s.roles.map((r) => ROLES[r] || r).join('、')), el('td', {}, s.active ? '在用' : '已停用'),
    el('td', {}, s.active ? [
      el('button', { type: 'button', onclick: () => edit(s) }, '修改'), ' ',
      act('重置密码', 'mutation($id: ID!) { resetPassword(staffId: $id, method: LINK) { linkExpiresAt } }', { id: s.id }, `重置链接已发送给 ${s.name}。`), ' ',
      act('强制下线', 'mutation($id: ID!) { endSessions(staffId: $id) }', { id: s.id }, `${s.name} 的登录已全部退出。`), ' ',
      act('停用', 'mutation($id: ID!, $v: Int!) { deactivateStaff(id: $id, expectedVersion: $v) { id } }', { id: s.id, v: s.version }, `${s.name} 已停用，其待办已转交B岗。`),
    ] : act('启用', 'mutation($id: ID!, $v: Int!) { reactivateStaff(id: $id, expectedVersion: $v) { id } }', { id: s.id, v: s.version }, `${s.name} 已启用。`))));
  area.replaceChildren(el('div', { class: 'scroll' }, el('table', { id: 'staff-list' },
    el('thead', {}, el('tr', {}, ['用户名', '姓名', '部门', '角色', '状态', ''].map((h, i) => el('th', { class: i === 3 ? 'hide-narrow' : null }, h)))),
    el('tbody', {}, rows))), form);
}

// ---- 岗位（AB岗） --------------------------------------------------------------------------

async function postsSection(area, me) {
  const admin = me.roles.includes('CENTER_ADMIN');
  const department = admin ? null : me.department.id;
  const data = await gql(`query($d: ID) { posts(departmentId: $d) { id name version matters department { id name }
      aHolder { id name } bHolders { id name } }
    staffMembers(departmentId: $d) { id name department { id } } }`, { d: department });
  const message = el('div');
  const people = data.staffMembers;
  const peopleOf = (departmentId) => people.filter((p) => p.department && p.department.id === departmentId).map((p) => [p.id, p.name]);
  const reload = () => postsSection(area, me);
  const cards = data.posts.map((p) => {
    const options = peopleOf(p.department.id);
    const form = el('form', { class: 'card post', 'data-post': p.name },
      el('h2', {}, `${p.department.name} · ${p.name}`),
      p.matters.length ? el('p', { class: 'muted' }, '承办事项：' + p.matters.join('、')) : null,
      choice('a-' + p.id, 'A岗', options, p.aHolder && p.aHolder.id),
      el('label', { for: 'b-' + p.id }, 'B岗（按顺序，可多选）'),
      el('select', { id: 'b-' + p.id, name: 'b', multiple: true }, options.map(([value, text]) =>
        el('option', { value, selected: p.bHolders.some((b) => b.id === value) }, text))),
      el('button', { class: 'primary', type: 'submit' }, '保存AB岗安排'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const b = [...form.b.selectedOptions].map((o) => o.value);
      change(message, () => gql('mutation($i: PostInput!) { savePost(input: $i) { id } }', { i: {
        id: p.id, expectedVersion: p.version, departmentId: p.department.id, name: p.name,
        aHolderId: form['a-' + p.id].value, bHolderIds: b,
      } }), `${p.name} 的AB岗安排已保存。`, reload);
    });
    return form;
  });
  area.replaceChildren(message, ...cards, cards.length ? null : el('p', { class: 'muted' }, '暂无岗位。'));
}

// ---- 窗口、登录日志 -------------------------------------------------------------------------

async function windowsSection(area) {
  const data = await gql(`{ allDepartments { id name }
    serviceWindows(includeInactive: true) { id name location slotMinutes capacity homeVisits active department { id name } } }`);
  const message = el('div');
  const form = el('form', { class: 'card', id: 'window-form' }, el('h2', {}, '新建或修改窗口'),
    el('input', { type: 'hidden', name: 'id' }),
    choice('window-department', '部门', data.allDepartments.map((d) => [d.id, d.name])),
    field('window-name', '窗口名称', { required: true }), field('window-location', '位置', { required: true }),
    field('slot', '每个预约时段（分钟）', { type: 'number', min: 5, max: 240, required: true }, 30),
    field('capacity', '每时段可约人数', { type: 'number', min: 1, max: 50, required: true }, 2),
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'home' }), ' 提供上门服务'),
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'open', checked: true }), ' 开放预约'),
    el('button', { class: 'primary', type: 'submit' }, '保存'), message);
  const reload = () => windowsSection(area);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = {
      departmentId: form['window-department'].value, name: form['window-name'].value, location: form['window-location'].value,
      slotMinutes: Number(form.slot.value), capacity: Number(form.capacity.value), homeVisits: form.home.checked, active: form.open.checked,
    };
    if (form.id.value) input.id = form.id.value;
    change(message, () => gql('mutation($i: SaveServiceWindowInput!) { saveServiceWindow(input: $i) { id } }', { i: input }),
      '窗口已保存。', reload);
  });
  const edit = (w) => {
    form.id.value = w.id; form['window-department'].value = w.department ? w.department.id : '';
    form['window-name'].value = w.name; form['window-location'].value = w.location;
    form.slot.value = w.slotMinutes; form.capacity.value = w.capacity; form.home.checked = w.homeVisits; form.open.checked = w.active;
    form.scrollIntoView();
  };
  area.replaceChildren(el('div', { class: 'scroll' }, el('table', { id: 'window-list' },
    el('thead', {}, el('tr', {}, ['窗口', '位置', '部门', '状态', ''].map((h) => el('th', {}, h)))),
    el('tbody', {}, data.serviceWindows.map((w) => el('tr', { 'data-window': w.name, class: w.active ? '' : 'muted' },
      el('td', {}, w.name), el('td', {}, w.location), el('td', {}, w.department ? w.department.name : '—'),
      el('td', {}, w.active ? '开放' : '已关闭'), el('td', {}, el('button', { type: 'button', onclick: () => edit(w) }, '修改'))))))),
  el('p', { class: 'muted' }, '营业时间默认为中心办公时间。'), form);
}

async function signInsSection(area) {
  const { signIns } = await gql('{ signIns(first: 100) { nodes { at username address method outcome } } }');
  area.replaceChildren(el('div', { class: 'scroll' }, el('table', { id: 'sign-in-log' },
    el('thead', {}, el('tr', {}, ['时间', '用户名', '地址', '方式', '结果'].map((h) => el('th', {}, h)))),
    el('tbody', {}, signIns.nodes.map((s) => el('tr', { class: s.outcome.startsWith('SIGNED_IN') || s.outcome === 'MUST_CHANGE_PASSWORD' ? '' : 'failed' },
      el('td', {}, when(s.at)), el('td', {}, s.username), el('td', {}, s.address || '—'),
      el('td', {}, s.method === 'SSO' ? '统一身份认证' : '密码'), el('td', {}, OUTCOMES[s.outcome] || s.outcome)))))));
}

// ---- 导入导出 ------------------------------------------------------------------------------

/** A file as base64 (for an .xlsx workbook) or as text (a .csv file). */
function readFile(file, binary) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(binary ? reader.result.split(',')[1] : reader.result);
    reader.onerror = () => reject(reader.error);
    if (binary) reader.readAsDataURL(file); else reader.readAsText(file, 'utf-8');
  });
}

async function downloadFile(path, name) {
  const response = await fetch(path, { headers: { authorization: 'Bearer ' + sessionStorage.getItem(TOKEN) } });
  if (!response.ok) throw new Error(`下载失败（${response.status}）`);
  const link = el('a', { href: URL.createObjectURL(await response.blob()), download: name });
  document.body.append(link);
  link.click();
  link.remove();
}

function importReport(report) {
  if (report.problems.length) {
    return el('div', { id: 'import-problems' }, el('p', { class: 'error', role: 'alert' }, `发现 ${report.problems.length} 处问题，未写入任何数据：`),
      el('div', { class: 'scroll' }, el('table', {}, el('thead', {}, el('tr', {}, ['表', '行', '列', '问题'].map((h) => el('th', {}, h)))),
        el('tbody', {}, report.problems.map((p) => el('tr', {}, el('td', {}, p.sheet), el('td', {}, p.row), el('td', {}, p.column), el('td', {}, p.message)))))));
  }
  const counts = `部门：新增 ${report.departmentsCreated}，已有 ${report.departmentsUpdated}；人员：新增 ${report.staffCreated}，已有 ${report.staffUpdated}；岗位：新增 ${report.postsCreated}，已有 ${report.postsUpdated}。`;
  return el('p', { class: report.written ? 'ok' : 'warn', id: 'import-summary' }, (report.written ? '已导入。' : '检查通过，尚未写入。') + counts);
}

async function importSection(area) {
  const message = el('div', { id: 'import-result' });
  const IMPORT = `mutation($i: ImportOrganisationInput!) { importOrganisation(input: $i) { written problems { sheet row column message }
    departmentsCreated departmentsUpdated staffCreated staffUpdated postsCreated postsUpdated } }`;
  const form = el('form', { class: 'card', id: 'import-form' }, el('h2', {}, '导入部门和人员'),
    el('p', { class: 'muted' }, '一个 .xlsx 工作簿（工作表“部门”和“人员”），或两个 .csv 文件。先检查，全部无误后才能导入。'),
    el('label', { for: 'workbook' }, '工作簿（.xlsx）'), el('input', { id: 'workbook', name: 'workbook', type: 'file', accept: '.xlsx' }),
    el('label', { for: 'departments-csv' }, '或：部门（.csv）'), el('input', { id: 'departments-csv', name: 'departments', type: 'file', accept: '.csv' }),
    el('label', { for: 'staff-csv' }, '人员（.csv）'), el('input', { id: 'staff-csv', name: 'staff', type: 'file', accept: '.csv' }),
    el('button', { class: 'primary', type: 'submit' }, '检查'), message);
  const input = async () => {
    const book = form.workbook.files[0];
    if (book) return { format: 'XLSX', workbook: await readFile(book, true) };
    const [d, s] = [form.departments.files[0], form.staff.files[0]];
    return { format: 'CSV', departmentsCsv: d ? await readFile(d, false) : null, staffCsv: s ? await readFile(s, false) : null };
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.replaceChildren();
    try {
      const files = await input();
      const checked = (await gql(IMPORT, { i: { ...files, dryRun: true } })).importOrganisation;
      const confirm = checked.problems.length ? null : el('button', { class: 'primary', type: 'button', id: 'import-confirm', onclick: async () => {
        try {
          const done = (await gql(IMPORT, { i: { ...files, dryRun: false } })).importOrganisation;
          message.replaceChildren(importReport(done));
        } catch (error) { message.replaceChildren(failure(error)); }
      } }, '确认导入');
      message.replaceChildren(importReport(checked), confirm);
    } catch (error) {
      message.replaceChildren(failure(error));
    }
  });
  const exporting = el('div', { class: 'card', id: 'export' }, el('h2', {}, '导出'),
    ...[['/admin/organisation.xlsx', 'organisation.xlsx', '工作簿（.xlsx）'], ['/admin/departments.csv', 'departments.csv', '部门（.csv）'], ['/admin/staff.csv', 'staff.csv', '人员（.csv）']]
      .map(([path, name, label]) => el('button', { type: 'button', onclick: () => downloadFile(path, name).catch((e) => exporting.append(failure(e))) }, label)));
  area.replaceChildren(form, exporting);
}

async function adminPage() {
  const me = await navigation();
  const admin = me.roles.includes('CENTER_ADMIN');
  const sections = admin
    ? { departments: ['部门', departmentsSection], staff: ['人员', staffSection], posts: ['岗位（AB岗）', postsSection],
      windows: ['窗口', windowsSection], signins: ['登录日志', signInsSection], import: ['导入导出', importSection] }
    : { posts: ['本部门岗位（AB岗）', postsSection] };
  const area = el('section', { id: 'admin-area' });
  const open = async (key) => {
    document.getElementById('admin-message').replaceChildren();
    document.querySelectorAll('#admin-tabs button').forEach((b) => b.classList.toggle('current', b.dataset.tab === key));
    area.replaceChildren(el('p', { class: 'muted' }, '加载中…'));
    try { await sections[key][1](area, me); } catch (error) { area.replaceChildren(failure(error)); }
  };
  const tabs = el('nav', { id: 'admin-tabs', class: 'tabs' }, Object.entries(sections).map(([key, [name]]) =>
    el('button', { type: 'button', 'data-tab': key, onclick: () => open(key) }, name)));
  show(el('h1', {}, '组织管理'), tabs, el('div', { id: 'admin-message' }), area);
  await open(Object.keys(sections)[0]);
}

PAGES.admin = adminPage;
