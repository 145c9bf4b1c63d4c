// The organisation and account pages in headless Chromium, as a new centre, its admin, a
// department head and a clerk use them.
//   node clients/browser/admin.mjs DEMO_BASE_URL EMPTY_BASE_URL OUTBOX_DIR SAMPLE_XLSX
// DEMO_BASE_URL serves the demo centre with its jobs running (mail as .eml files in OUTBOX_DIR);
// EMPTY_BASE_URL serves an empty database. Prints one line per step; exits non-zero on the first
// failure.
import { chromium } from 'playwright-core';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [base, empty, outbox, sample] = process.argv.slice(2);
if (!base || !empty || !outbox || !sample) {
  console.error('usage: node admin.mjs DEMO_BASE_URL EMPTY_BASE_URL OUTBOX_DIR SAMPLE_XLSX');
  process.exit(2);
}
const PASSWORD = 'Lianban@2026';
const NEW_PASSWORD = '山高水长慢慢走过这座桥';

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function api(token, query, variables) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = 'Bearer ' + token;
  const body = await (await fetch(base + '/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) })).json();
  return body;
}

async function signIn(page, username, password = PASSWORD) {
  await page.goto(base + '/');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#login button[type=submit]');
}

async function fits(page, what) {
  const wider = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(wider <= 0, `${what} fits a phone's width (overflows by ${wider}px)`);
}

async function tab(page, name) {
  await page.click(`#admin-tabs button:has-text("${name}")`);
}

async function said(page) {
  const box = page.locator('#admin-message .ok, #admin-area .error').first();
  await box.waitFor();
  return box.innerText();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox'],
});
try {
  const refusedByPolicy = [];
  const context = async (width) => {
    const made = await browser.newContext({ viewport: { width, height: width > 600 ? 768 : 844 }, locale: 'zh-CN' });
    made.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) refusedByPolicy.push(m.text()); });
    return made;
  };

  // A new installation: the sign-in page says how to begin.
  const fresh = await (await context(1366)).newPage();
  await fresh.goto(empty + '/');
  const begin = await fresh.locator('#first-start').innerText();
  check(begin.includes('lianban admin create --username'), `the first page says how to create the admin: ${begin}`);
  console.log('first start: the sign-in page shows how to create the first centre admin');

  // The centre admin at a desk: a department, a person, a deactivation, the sign-in log.
  const desk = await (await context(1366)).newPage();
  await signIn(desk, 'admin');
  await desk.waitForURL(base + '/board');
  await desk.click('#nav a:has-text("组织管理")');
  await desk.waitForURL(base + '/admin');
  await desk.locator('#department-list').waitFor();
  await desk.fill('#code', 'zrzy');
  await desk.fill('#name', '自然资源局');
  await desk.fill('#duties', '负责自然资源调查监测和确权登记。');
  await desk.click('#department-form button[type=submit]');
  check((await said(desk)).includes('部门已保存'), 'the department is saved');
  await desk.locator('#department-list tr[data-code="ZRZY"]').waitFor();
  console.log('admin: a department is created with its duties');

  await tab(desk, '人员');
  await desk.locator('#staff-list').waitFor();
  await desk.fill('#username', 'zrzy.a');
  await desk.fill('#staff-form #name', '钱自然');
  await desk.fill('#email', 'zrzy.a@lianban.example');
  await desk.selectOption('#department', { label: '自然资源局' });
  await desk.check('#roles input[value="REVIEWER"]');
  await desk.click('#staff-form button[type=submit]');
  check((await said(desk)).includes('zrzy.a@lianban.example'), 'the new person is sent a link');
  await desk.locator('#staff-list tr[data-username="zrzy.a"]').waitFor();
  const row = desk.locator('#staff-list tr[data-username="xfjy.a"]');
  await row.locator('button:has-text("停用")').click();
  check((await said(desk)).includes('已停用'), 'the deactivation is confirmed');
  await desk.locator('#staff-list tr[data-username="xfjy.a"] td:has-text("已停用")').waitFor();
  const refused = await api(null, 'mutation { login(username: "xfjy.a", password: "Lianban@2026") { token } }');
  check(refused.errors && refused.errors[0].extensions.code === 'UNAUTHENTICATED', 'the deactivated person signs in no more');
  console.log('admin: a person is created and another deactivated, who signs in no more');

  await tab(desk, '窗口');
  await desk.locator('#window-list').waitFor();
  await desk.selectOption('#window-department', { label: '自然资源局' });
  await desk.fill('#window-name', '9号窗口（自然资源）');
  await desk.fill('#window-location', '三楼东侧');
  await desk.click('#window-form button[type=submit]');
  check((await said(desk)).includes('窗口已保存'), 'the window is saved');
  await desk.locator('#window-list tr[data-window="9号窗口（自然资源）"]').waitFor();
  console.log('admin: a window of the new department is set up on the same page');

  await tab(desk, '登录日志');
  const log = await desk.locator('#sign-in-log').innerText();
  check(log.includes('admin') && log.includes('成功') && log.includes('账号已停用'), `the sign-in log shows who and how: ${log.slice(0, 200)}`);
  console.log('admin: the sign-in log shows the refused deactivated account');

  // A department head keeps their own posts' AB arrangement, and sees nothing else here.
  const head = await (await context(1366)).newPage();
  await signIn(head, 'xfjy.head');
  await head.waitForURL(base + '/queue');
  await head.goto(base + '/admin');
  await head.locator('form.post').first().waitFor();
  const tabs = await head.locator('#admin-tabs button').allInnerTexts();
  check(tabs.length === 1 && tabs[0].includes('岗位'), `a head sees only their posts: ${tabs}`);
  const form = head.locator('form.post').first();
  await form.locator('select').first().selectOption({ label: '杨消防' });
  await form.locator('select[multiple]').selectOption([]);
  await form.locator('button[type=submit]').click();
  check((await said(head)).includes('AB岗安排已保存'), 'the AB arrangement is saved');
  console.log('department head: the post\'s A holder is now 杨消防');

  // The import, through the page: checked first, then written.
  await tab(desk, '导入导出');
  await desk.setInputFiles('#workbook', sample);
  await desk.click('#import-form button[type=submit]');
  const checked = await desk.locator('#import-summary').innerText();
  check(checked.includes('检查通过') && checked.includes('新增 19'), `the check reports what it would write: ${checked}`);
  await desk.click('#import-confirm');
  await desk.locator('#import-summary:has-text("已导入")').waitFor();
  console.log(`admin: the sample workbook is checked, then imported (${checked})`);

  // The admin page at a phone's width.
  const phone = await (await context(390)).newPage();
  await signIn(phone, 'admin');
  await phone.waitForURL(base + '/board');
  await phone.goto(base + '/admin');
  for (const name of ['部门', '人员', '岗位（AB岗）', '登录日志', '导入导出']) {
    await tab(phone, name);
    await phone.locator('#admin-area > p.muted:has-text("加载中")').waitFor({ state: 'detached' });
    check(await phone.locator('#admin-area > *').count() > 0, `the ${name} part shows something`);
    check(await phone.locator('#admin-area > .error').count() === 0, `the ${name} part shows no error: ${await phone.locator('#admin-area').innerText()}`);
    await fits(phone, `the admin page's ${name}`);
  }
  console.log('phone width: every part of the admin page fits 390 px');

  // A temporary password: the clerk changes it before anything else.
  const admin = (await api(null, `mutation { login(username: "admin", password: "${PASSWORD}") { token } }`)).data.login.token;
  const staff = (await api(admin, '{ staffMembers { id username } }')).data.staffMembers;
  const id = (name) => staff.find((s) => s.username === name).id;
  const temp = (await api(admin, 'mutation($s: ID!) { resetPassword(staffId: $s, method: TEMPORARY) { temporaryPassword } }', { s: id('scjg.a') })).data.resetPassword.temporaryPassword;
  const clerk = await (await context(1366)).newPage();
  await signIn(clerk, 'scjg.a', temp);
  await clerk.waitForURL(base + '/account');
  await clerk.locator('#must-change').waitFor();
  await clerk.fill('#current', temp);
  await clerk.fill('#new', NEW_PASSWORD);
  await clerk.fill('#again', NEW_PASSWORD);
  await clerk.click('#change-password button[type=submit]');
  await clerk.waitForURL(base + '/queue');
  console.log('clerk: signed in with a temporary password, changed it, then reached the queue');

  // Signing out ends the token at once.
  const token = await clerk.evaluate(() => sessionStorage.getItem('lianban.token'));
  await clerk.click('#logout');
  await clerk.waitForURL(base + '/');
  const after = await api(token, '{ me { username } }');
  check(after.errors && after.errors[0].extensions.code === 'UNAUTHENTICATED', 'the signed-out token is refused');
  console.log('clerk: signed out; the old token is refused');

  // A reset link by mail opens the page that sets the password.
  await api(admin, 'mutation($s: ID!) { resetPassword(staffId: $s, method: LINK) { linkExpiresAt } }', { s: id('wsjk.a') });
  let link = null;
  for (let i = 0; i < 40 && !link; i++) {
    for (const file of readdirSync(outbox).filter((f) => f.endsWith('.eml'))) {
      // The text may be base64 or quoted-printable: read it both ways.
      const raw = readFileSync(join(outbox, file), 'utf8');
      const decoded = [...raw.matchAll(/Content-Transfer-Encoding: base64\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/g)]
        .map((m) => Buffer.from(m[1].replace(/\s/g, ''), 'base64').toString('utf8'));
      const mail = [raw.replace(/=\r?\n/g, ''), ...decoded].join('\n');
      const found = mail.match(/https?:\/\/[^\s"<>]*\/password#[A-Za-z0-9_-]{43}/);
      if (found && mail.includes('wsjk.a')) link = found[0];
    }
    if (!link) await new Promise((r) => setTimeout(r, 500));
  }
  check(link, 'the reset mail arrived with its link');
  const linked = await (await context(390)).newPage();
  await linked.goto(base + '/password' + link.slice(link.indexOf('#')));
  await linked.fill('#new', NEW_PASSWORD);
  await linked.fill('#again', NEW_PASSWORD);
  await linked.click('#set-password button[type=submit]');
  const done = await linked.locator('#password-set').innerText();
  check(done.includes('wsjk.a'), `the page says whom to sign in as: ${done}`);
  await fits(linked, 'the password page');
  await signIn(linked, 'wsjk.a', NEW_PASSWORD);
  await linked.waitForURL(base + '/queue');
  console.log('reset link: the mailed link sets the password, which then signs in');
  check(refusedByPolicy.length === 0, `the pages break no rule of their policy: ${refusedByPolicy.join(' | ')}`);
  console.log('policy: the admin and account pages ran with no inline script or style');
} finally {
  await browser.close();
}
