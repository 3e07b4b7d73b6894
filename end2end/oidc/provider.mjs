// A real OpenID Connect provider for the federation tests and journeys: npm's oidc-provider
// with one confidential client (PKCE required), a login form of its own that checks a
// password, and a few test users. Nothing here is a mock of the protocol: discovery, keys,
// codes and ID tokens are oidc-provider's.
//
//   node end2end/oidc/provider.mjs [--port 9400] [--issuer URL] [--redirect URI]...
//                                  [--clock-offset SECONDS] [--id-token-ttl SECONDS]
//
// --port          where to listen on 127.0.0.1 (0: any free port); default 9400
// --issuer        the issuer the provider names (default http://127.0.0.1:<port>); naming
//                 another one than where it is reached makes a directory with the wrong issuer
// --redirect      a redirect URI of the client (repeatable); default the journeys' portal
// --clock-offset  seconds added to the provider's clock (e.g. -7200: every token it signs has
//                 long expired by the portal's clock)
// Prints "listening <issuer> <port>" on stdout once it accepts connections.
import Provider from 'oidc-provider';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : (process.env[`OIDC_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback);
};
const redirects = args.flatMap((a, i) => (a === '--redirect' ? [args[i + 1]] : []));

const offset = Number(option('clock-offset', '0')) * 1000;
if (offset) {
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + offset;
}

export const CLIENT_ID = 'services-hub';
export const CLIENT_SECRET = 'services-hub-test-secret';
export const PASSWORD = 'Directory-Password-2026';

// Test users (password PASSWORD): the account id is the login name; the email claims are on
// the tests' federated domain (northwind.example), the journeys' (js./nojs.northwind.example)
// and Contoso's.
const USERS = {
  alice: { email: 'alice@northwind.example', name: 'Alice Directory' },
  bob: { email: 'bob@northwind.example', name: 'Bob Directory' },
  nadia: { email: 'nadia@northwind.example', name: 'Nadia Admin' },
  carol: { email: 'carol@contoso.com', name: 'Carol Outside' },
  unverified: { email: 'unverified@northwind.example', name: 'Una Verified', email_verified: false },
  noemail: { name: 'No Email' },
  // The journeys (federation.spec.ts): one directory user per project's organization.
  'dana-js': { email: 'dana@js.northwind.example', name: 'Dana Directory js' },
  'dana-nojs': { email: 'dana@nojs.northwind.example', name: 'Dana Directory nojs' },
};

const port = Number(option('port', '9400'));
const server = (await import('node:http')).createServer();
await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
const actualPort = server.address().port;
const issuer = option('issuer', `http://127.0.0.1:${actualPort}`);

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: redirects.length ? redirects : ['http://127.0.0.1:3300/federation/callback'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // The claims go into the ID token itself (the portal reads no userinfo).
  conformIdTokenClaims: false,
  ttl: {
    IdToken: Number(option('id-token-ttl', '3600')),
    Interaction: 600,
    Grant: 3600,
    Session: 3600,
  },
  cookies: { keys: ['services-hub-test-provider-cookie-key'] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const user = USERS[id];
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        const claims = { sub: id, name: user.name };
        if (user.email) {
          claims.email = user.email;
          claims.email_verified = user.email_verified ?? true;
        }
        return claims;
      },
    };
  },
  // One first-party client: consent is given with the sign-in (no second page).
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});
provider.proxy = false;

const escape = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (uid, login, error) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Northwind directory: sign in</title></head>
<body><main>
<h1>Northwind directory</h1>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
<label for="login">User name</label> <input id="login" name="login" value="${escape(login)}" autocomplete="username" required>
<label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in to the directory</button>
</form>
</main></body></html>`;

const readForm = (req) =>
  new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });

// The login form: the user name (a login_hint's local part is offered) and the password.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  ctx.type = 'html';
  if (ctx.method === 'GET') {
    const hint = (details.params.login_hint ?? '').split('@')[0];
    ctx.body = page(details.uid, hint);
    return undefined;
  }
  if (ctx.method !== 'POST') return next();
  const form = await readForm(ctx.req);
  const login = form.get('login') ?? '';
  if (!USERS[login] || form.get('password') !== PASSWORD) {
    ctx.body = page(details.uid, login, 'Wrong user name or password.');
    return undefined;
  }
  const to = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  ctx.status = 303;
  ctx.redirect(to);
  return undefined;
});

server.on('request', provider.callback());
process.stdout.write(`listening ${issuer} ${actualPort}\n`);
