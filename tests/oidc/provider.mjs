// A real OpenID Connect provider for the tests (the npm package oidc-provider, pinned in
// package-lock.json), on a loopback port. Started by tests/oidc_provider.py with:
//   PORT             the port to listen on (the issuer is http://127.0.0.1:PORT)
//   CLIENT           JSON: {client_id, client_secret, redirect_uris, post_logout_redirect_uris}
//   ACCOUNTS         JSON: {"<login>": {email, email_verified, given_name, family_name, ...}}
//   ID_TOKEN_CHANGE  optional JSON: claims the token endpoint changes in every ID token before
//                    signing it again with the provider's own key, as a misconfigured or hostile
//                    provider would: {"aud": "someone-else"}, {"iss": "..."}, {"exp": -600}
//                    (seconds from now), {"amr": ["pwd", "otp"]}.
// Its development log-in form accepts any password for a login in ACCOUNTS.
import { createServer } from 'node:http';

import { exportJWK, generateKeyPair, SignJWT, decodeJwt } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const client = JSON.parse(process.env.CLIENT);
const accounts = JSON.parse(process.env.ACCOUNTS);
const change = process.env.ID_TOKEN_CHANGE ? JSON.parse(process.env.ID_TOKEN_CHANGE) : null;

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [{
    ...client,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  jwks: { keys: [jwk] },
  cookies: { keys: ['regiomonitor-test-provider'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
    regiomonitor: ['regiomonitor_role'],
  },
  scopes: ['openid', 'email', 'profile', 'regiomonitor'],
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
  // A first-party application: the user is not asked to consent to its scopes.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
    grant.addOIDCClaims(['email', 'email_verified', 'given_name', 'family_name', 'regiomonitor_role']);
    await grant.save();
    return grant;
  },
});

if (change) {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token' && ctx.body && ctx.body.id_token) {
      const claims = { ...decodeJwt(ctx.body.id_token), ...change };
      if (typeof change.exp === 'number') claims.exp = Math.floor(Date.now() / 1000) + change.exp;
      ctx.body.id_token = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key', typ: 'JWT' })
        .sign(privateKey);
    }
  });
}

createServer(provider.callback()).listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
