// Lianban's pages in headless Chromium, as a leader and a reviewer use them.
//   node clients/browser/pages.mjs http://127.0.0.1:8080 LB-20261117-000001
// The case must be overdue (api/tests/browser.rs prepares it). Chromium: $CHROMIUM, else
// /usr/bin/chromium (Debian's package). Prints one line per step; exits non-zero on the first
// failure.
import { chromium } from 'playwright-core';

const [base, number] = process.argv.slice(2);
if (!base || !number) {
  console.error('usage: node pages.mjs BASE_URL CASE_NUMBER');
  process.exit(2);
}
const PASSWORD = 'Lianban@2026';
// LIANBAN_SCREENSHOTS=<dir> keeps a picture of each page (for a person to look at).
const shots = process.env.LIANBAN_SCREENSHOTS;
async function picture(page, name) {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function signIn(page, username, path = '/') {
  await page.goto(base + path);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('#login button[type=submit]');
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox'],
});
try {
  // A leader, on a 1366×768 screen: the board shows the overdue case as a red item.
  const leader = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const board = await leader.newPage();
  // The pages' Content-Security-Policy allows no inline script or style: nothing may be refused.
  const refusedByPolicy = [];
  board.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) refusedByPolicy.push(m.text());
  });
  await signIn(board, 'leader');
  await board.waitForURL(base + '/board');
  const red = board.locator('#red a', { hasText: number }).first();
  await red.waitFor();
  const row = await red.locator('xpath=ancestor::tr').innerText();
  check(row.includes('红灯'), `the red item's row shows its light: ${row}`);
  const redCount = await board.locator('#centre .tile', { hasText: '红灯' }).locator('b').innerText();
  check(Number(redCount) >= 3, `the centre line counts the three red tasks: ${redCount}`);
  check(await board.locator('#ontime .barrow').count() > 0, 'the on-time chart has a bar per department');
  const item = await board.locator('#items tr', { hasText: '餐饮店开业联办超期' }).innerText();
  check(item.includes('消防救援大队') && item.includes('待分派'), `the open item names its department and that nobody answers yet: ${item}`);
  console.log(`leader: the open supervision item is listed with its age (${item.replace(/\s+/g, ' ')})`);
  await picture(board, 'board');
  console.log(`leader: the board shows ${number} as red (${row.replace(/\s+/g, ' ')})`);

  await red.click();
  await board.waitForURL(/\/cases\//);
  await board.locator('#clockline rect.counting').waitFor({ state: 'attached' });
  const taskRows = await board.locator('#tasks tbody tr').count();
  check(taskRows === 3, `the case page lists its three tasks: ${taskRows}`);
  check((await board.locator('#status').innerText()).includes('****'), 'a leader sees the ID number masked');
  await board.locator('#clockline rect.pause').waitFor({ state: 'attached' });
  const pauses = await board.locator('#pauses').innerText();
  check(pauses.includes('专家评审') && !/[A-Za-z]{4,}/.test(pauses), `the pause is listed under the clock in Chinese: ${pauses}`);
  console.log(`leader: the pause is drawn on the clock's line (${pauses})`);
  await picture(board, 'case');
  console.log('leader: the case page draws the clock and lists 3 tasks');

  // The board refreshes itself.
  await board.goto(base + '/board?every=2');
  const first = await board.locator('#updated').innerText();
  await board.waitForFunction((before) => document.querySelector('#updated')?.textContent !== before, first, { timeout: 10000 });
  console.log('board: refreshed without a reload');

  // A phone-width screen: nothing wider than the screen but the tables' own scrolling.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  const small = await phone.newPage();
  await signIn(small, 'leader');
  await small.waitForURL(base + '/board');
  await small.locator('#red').waitFor();
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `the board fits a phone's width (overflows by ${overflow}px)`);
  await picture(small, 'board-phone');
  console.log('phone width: the board fits 390 px');

  // A reviewer of 消防救援大队: the queue, the case, a refused opinion, then an approval.
  const clerk = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Europe/London' });
  const queue = await clerk.newPage();
  await signIn(queue, 'xfjy.a');
  await queue.waitForURL(base + '/queue');
  const link = queue.locator('#queue a', { hasText: number }).first();
  await link.waitFor();
  check((await link.locator('xpath=ancestor::tr').innerText()).includes('红灯'), 'the queue shows the task red');
  const away = await queue.locator('#away').innerText();
  check(away.includes('杨消防') && away.includes('年休假'), `the queue says who is away: ${away}`);
  console.log(`reviewer: the queue shows who is away (${away})`);
  // Times are the centre's, whatever the browser's zone (this one is in London).
  const token = await queue.evaluate(() => sessionStorage.getItem('lianban.token'));
  const api = await (await fetch(base + '/graphql', {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
    body: JSON.stringify({ query: '{ myTasks(first: 1) { nodes { dueAt } } }' }),
  })).json();
  const shanghai = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false })
    .format(new Date(api.data.myTasks.nodes[0].dueAt));
  const shown = await link.locator('xpath=ancestor::tr').innerText();
  check(await queue.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone) === 'Europe/London', 'the browser runs in London');
  check(shown.includes(shanghai), `the due time shows in Asia/Shanghai (${shanghai}): ${shown}`);
  console.log(`reviewer: the due time shows in Asia/Shanghai (${shanghai}) in a browser set to London`);
  await picture(queue, 'queue');
  await link.click();
  await queue.waitForURL(/\/cases\/.*\?task=/);
  await queue.locator('#opinion').waitFor();
  await queue.selectOption('#kind', 'REJECT');
  await queue.click('#opinion button[type=submit]');
  const refusal = await queue.locator('#opinion-message .error').innerText();
  check(refusal.includes('INVALID_INPUT'), `a reject without a reason is refused with its code: ${refusal}`);
  console.log(`reviewer: a reject without a reason is refused (${refusal})`);

  await queue.selectOption('#kind', 'APPROVE');
  await queue.click('#opinion button[type=submit]');
  const opinion = queue.locator('#tasks tr', { hasText: '消防救援大队' }).locator('td.opinion');
  await opinion.filter({ hasText: '同意' }).waitFor();
  const said = await opinion.innerText();
  check(said.includes('刘消防'), `the case page shows the opinion and its author: ${said}`);
  check(await queue.locator('#opinion').count() === 0, 'the form is gone once the task is resolved');
  const text = await queue.locator('#app').innerText();
  check(!/\bnull\b|undefined|\[object /.test(text), `the page shows no placeholder text: ${text}`);
  await picture(queue, 'case-approved');
  const caseUrl = queue.url();

  // The clerk's pages on a phone: the queue and the case fit its width too.
  const pocket = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })).newPage();
  await signIn(pocket, 'xfjy.a');
  await pocket.waitForURL(base + '/queue');
  await pocket.locator('#queue').waitFor();
  for (const [name, url] of [['queue', base + '/queue'], ['case', caseUrl]]) {
    await pocket.goto(url);
    await pocket.locator(name === 'queue' ? '#queue' : '#tasks').waitFor();
    const wider = await pocket.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(wider <= 0, `the ${name} page fits a phone's width (overflows by ${wider}px)`);
    await picture(pocket, name + '-phone');
  }
  console.log('phone width: the queue and the case page fit 390 px');
  check(refusedByPolicy.length === 0, `the pages break no rule of their policy: ${refusedByPolicy.join(' | ')}`);
  console.log('policy: the board and the case page ran with no inline script or style');

  // After sign-in, `next` leads only to a page of this site.
  const origin = new URL(base).origin;
  for (const next of ['/%5Cevil.example', '/%09/evil.example', '//evil.example', '/.//evil.example', 'https://evil.example/']) {
    const away = await (await browser.newContext()).newPage();
    await signIn(away, 'xfjy.a', '/?next=' + next);
    await away.waitForURL((url) => url.pathname === '/queue' || url.origin !== origin);
    check(new URL(away.url()).origin === origin, `next=${next} left the site for ${away.url()}`);
    await away.context().close();
  }
  const home = await (await browser.newContext()).newPage();
  await signIn(home, 'leader', '/?next=' + encodeURIComponent('/board?every=60'));
  await home.waitForURL(base + '/board?every=60');
  console.log('sign-in: next leads only to a page of this site (5 ways out refused)');
  console.log(`reviewer: approved; the case page shows "${said.replace(/\s+/g, ' ')}"`);
} finally {
  await browser.close();
}
