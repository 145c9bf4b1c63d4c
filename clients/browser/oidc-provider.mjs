// A real OpenID Connect provider for the single sign-on tests: `oidc-provider` (the certified
// implementation, from npm) with its own login and consent pages, standing in for a
// province's unified identity platform (统一身份认证).
//   node clients/browser/oidc-provider.mjs PORT REDIRECT_URI
// One client, `lianban` (secret `lianban-test-secret`), using the authorization code flow with
// PKCE required. Any login name signs in as the account of that name: its subject (`sub`) and
// its `preferred_username` are the name. Prints "listening <issuer>" when ready.
import Provider from 'oidc-provider';

const [port, redirectUri] = process.argv.slice(2);
if (!port || !redirectUri) {
  console.error('usage: node oidc-provider.mjs PORT REDIRECT_URI');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{
    client_id: 'lianban',
    client_secret: 'lianban-test-secret',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
  async findAccount(_ctx, id) {
    return { accountId: id, claims: async () => ({ sub: id, preferred_username: id, name: id }) };
  },
  features: { devInteractions: { enabled: true } },
  // Tokens in the test live minutes, not days.
  ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
});
provider.proxy = false;
provider.listen(Number(port), '127.0.0.1', () => console.log(`listening ${issuer}`));
