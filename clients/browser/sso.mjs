// Single sign-on in headless Chromium, through the provider's own pages
// (clients/browser/oidc-provider.mjs stands in for the unified identity platform).
//   node clients/browser/sso.mjs BASE_URL [password-off]
// Before it runs, E1001 is linked to 刘消防 (xfjy.a) and E1002 to 杨消防 (xfjy.b), who is then
// deactivated; NOBODY is linked to nobody. Prints one line per step; exits non-zero on the first
// failure.
import { chromium } from 'playwright-core';

const [base, mode] = process.argv.slice(2);
if (!base) {
  console.error('usage: node sso.mjs BASE_URL [password-off]');
  process.exit(2);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** From the sign-in page through the provider's login and consent pages, as `login`. */
async function throughProvider(page, login) {
  await page.goto(base + '/');
  await page.click('#sso-start');
  await page.waitForSelector('input[name=login]');
  check(!page.url().startsWith(base), `the provider's own page signs in: ${page.url()}`);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', 'whatever-the-platform-asks');
  await page.click('button[type=submit]');
  // The provider asks once to let Lianban have the identity.
  const consent = page.locator('button[type=submit]:has-text("Continue")');
  await Promise.race([
    consent.waitFor({ timeout: 10000 }).then(() => consent.click()),
    page.waitForURL((url) => url.href.startsWith(base), { timeout: 10000 }),
  ]);
  await page.waitForURL((url) => url.href.startsWith(base) && !url.search.includes('sso=done'), { timeout: 10000 });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox'],
});
try {
  const fresh = async () => (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })).newPage();

  const linked = await fresh();
  if (mode === 'password-off') {
    await linked.goto(base + '/');
    await linked.locator('#password-off').waitFor();
    check(await linked.locator('#login').count() === 0, 'no password form once password sign-in is off');
    console.log('password off: the sign-in page offers only single sign-on');
  }
  await throughProvider(linked, 'E1001');
  await linked.waitForURL(base + '/queue');
  const who = await linked.locator('#who').innerText();
  check(who.includes('刘消防'), `signed in as the linked account: ${who}`);
  check(!linked.url().includes('token'), 'no token in the address');
  console.log(`sso: E1001 signed in as ${who}`);
  if (mode === 'password-off') process.exit(0);

  const stranger = await fresh();
  await throughProvider(stranger, 'NOBODY');
  const unknown = await stranger.locator('#sso .error').innerText();
  check(stranger.url().includes('sso_error=unknown') && unknown.includes('尚未关联'), `an unknown identity is refused: ${unknown}`);
  console.log(`sso: an identity linked to nobody is refused (${unknown})`);

  // A forged return page hands out no token (the HTTP test shows a callback from another
  // browser refused).
  const forged = await fresh();
  await forged.goto(base + '/?sso=done');
  await forged.locator('#login').waitFor();
  check(await forged.evaluate(() => sessionStorage.getItem('lianban.token')) === null, 'a forged return page signs nobody in');
  console.log('sso: a forged return page signs nobody in');

  const gone = await fresh();
  await throughProvider(gone, 'E1002');
  const deactivated = await gone.locator('#sso .error').innerText();
  check(gone.url().includes('sso_error=deactivated') && deactivated.includes('停用'), `a deactivated account is refused: ${deactivated}`);
  console.log(`sso: a deactivated account is refused after the provider vouched for it (${deactivated})`);
} finally {
  await browser.close();
}
