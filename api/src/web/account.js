// 联办 pages: signing in (or, on a new installation, how to begin), one's own account —
// changing the password (also the way out of a temporary one) — and setting a password from a
// mailed one-time link. Uses app.js's helpers.
'use strict';

// ---- 登录 ----------------------------------------------------------------------------------

// Where to go after signing in: only a page of this site. The URL parser decides, as the
// browser will (`/\\evil.example`, `/\t/evil.example` and `//evil.example` all leave the site).
function sameOrigin(next) {
  if (!next) return null;
  try {
    const url = new URL(next, location.origin);
    return url.origin === location.origin && !url.pathname.startsWith('//') ? url.href : null;
  } catch {
    return null;
  }
}

/** What a new installation shows instead of the sign-in form. */
function firstStart() {
  return el('div', { class: 'card', id: 'first-start' },
    el('h1', {}, '开始使用联办'),
    el('p', {}, '本系统尚未建立中心。请在服务器上创建第一位中心管理员（密码在提示时输入，不写在命令行上）：'),
    el('pre', {}, 'lianban admin create --username <用户名> --name <姓名> --email <邮箱>'),
    el('p', {}, '然后用该账号登录，在“组织管理”中建立部门、人员和岗位。'));
}

const SSO_ERRORS = {
  unknown: '此统一身份认证账号尚未关联联办账号，请联系中心管理员。',
  deactivated: '该账号已停用。',
  denied: '统一身份认证未完成登录。',
  expired: '登录已超时，请重新登录。',
  failed: '统一身份认证的应答无法验证，请重新登录或联系中心管理员。',
  unavailable: '暂时无法连接统一身份认证平台，请稍后再试。',
  off: '本中心未启用统一身份认证。',
};

/** Back from single sign-on: the server hands this browser its token once (an HttpOnly cookie
 * the sign-in set; a link made elsewhere carries none). */
async function afterSingleSignOn() {
  if (new URLSearchParams(location.search).get('sso') !== 'done') return false;
  history.replaceState(null, '', location.pathname);
  const response = await fetch('/auth/sso/token', { method: 'POST' });
  if (!response.ok) return false;
  const { token } = await response.json();
  sessionStorage.setItem(TOKEN, token);
  const { me } = await gql('{ me { roles } }');
  location.href = home(me.roles);
  return true;
}

async function loginPage() {
  if (await afterSingleSignOn()) return;
  const { installation } = await gql('{ installation { state passwordSignIn singleSignOn } }');
  if (installation.state === 'EMPTY') { show(firstStart()); return; }
  const ssoError = new URLSearchParams(location.search).get('sso_error');
  const message = el('div', { id: 'message' });
  const form = el('form', { class: 'card', id: 'login' },
    el('h1', {}, '登录联办'),
    el('label', { for: 'username' }, '用户名'),
    el('input', { id: 'username', name: 'username', autocomplete: 'username', required: true }),
    el('label', { for: 'password' }, '密码'),
    el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    el('button', { class: 'primary', type: 'submit' }, '登录'),
    message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.replaceChildren();
    try {
      const data = await gql('mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token mustChangePassword me { roles } } }',
        { u: form.username.value.trim(), p: form.password.value });
      sessionStorage.setItem(TOKEN, data.login.token);
      if (data.login.mustChangePassword) { location.href = '/account'; return; }
      location.href = sameOrigin(new URLSearchParams(location.search).get('next')) || home(data.login.me.roles);
    } catch (error) {
      message.replaceChildren(failure(error));
    }
  });
  const sso = installation.singleSignOn
    ? el('div', { class: 'card', id: 'sso' }, el('a', { class: 'button primary', id: 'sso-start', href: '/auth/sso' }, installation.singleSignOn),
      ssoError ? failure({ message: SSO_ERRORS[ssoError] || '统一身份认证登录失败。' }) : null)
    : null;
  show(installation.passwordSignIn ? form : el('p', { class: 'card', id: 'password-off' }, '本中心已关闭密码登录，请使用统一身份认证登录。'), sso);
}


function passwordFields(prefix) {
  return [
    el('label', { for: prefix + 'new' }, '新密码（至少 10 个字符，建议用几个词组成的短句）'),
    el('input', { id: prefix + 'new', name: 'new', type: 'password', autocomplete: 'new-password', required: true, minlength: 10 }),
    el('label', { for: prefix + 'again' }, '再次输入新密码'),
    el('input', { id: prefix + 'again', name: 'again', type: 'password', autocomplete: 'new-password', required: true }),
  ];
}

function mismatch(form) {
  return form.new.value !== form.again.value
    ? failure({ message: '两次输入的新密码不一致' })
    : null;
}

// ---- 修改密码 ------------------------------------------------------------------------------

async function accountPage() {
  const data = await gql('{ me { name username mustChangePassword roles } }');
  const me = data.me;
  if (!me.mustChangePassword) await navigation();
  const message = el('div', { id: 'message' });
  const form = el('form', { class: 'card', id: 'change-password' },
    el('h1', {}, '修改密码'),
    me.mustChangePassword ? el('p', { class: 'warn', id: 'must-change' }, '您使用的是临时密码，请先设置自己的密码。') : null,
    el('p', { class: 'muted' }, `${me.name}（${me.username}）`),
    el('label', { for: 'current' }, '当前密码'),
    el('input', { id: 'current', name: 'current', type: 'password', autocomplete: 'current-password', required: true }),
    passwordFields(''),
    el('button', { class: 'primary', type: 'submit' }, '保存新密码'),
    message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const wrong = mismatch(form);
    if (wrong) { message.replaceChildren(wrong); return; }
    try {
      await gql('mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }',
        { c: form.current.value, n: form.new.value });
      message.replaceChildren(el('p', { class: 'ok', role: 'status' }, '密码已修改；您在其他设备上的登录已退出。'));
      form.reset();
      if (me.mustChangePassword) setTimeout(() => { location.href = home(me.roles); }, 800);
    } catch (error) {
      message.replaceChildren(failure(error));
    }
  });
  show(form);
}

// ---- 通过链接设置密码 ----------------------------------------------------------------------

function passwordLinkPage() {
  const token = location.hash.replace(/^#/, '');
  const message = el('div', { id: 'message' });
  const form = el('form', { class: 'card', id: 'set-password' },
    el('h1', {}, '设置登录密码'),
    token ? null : failure({ message: '链接不完整：请从邮件中完整打开链接。' }),
    passwordFields(''),
    el('button', { class: 'primary', type: 'submit' }, '设置密码'),
    message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const wrong = mismatch(form);
    if (wrong) { message.replaceChildren(wrong); return; }
    try {
      const data = await gql('mutation($t: String!, $n: String!) { setPasswordFromLink(token: $t, newPassword: $n) { username } }',
        { t: token, n: form.new.value });
      history.replaceState(null, '', location.pathname);
      show(el('div', { class: 'card', id: 'password-set' },
        el('h1', {}, '密码已设置'),
        el('p', {}, `请以用户名 ${data.setPasswordFromLink.username} 登录。`),
        el('a', { class: 'button primary', href: '/' }, '去登录')));
    } catch (error) {
      message.replaceChildren(failure(error));
    }
  });
  show(form);
}

PAGES.login = loginPage;
PAGES.account = accountPage;
PAGES.password = passwordLinkPage;
