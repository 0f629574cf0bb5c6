// A throwaway OpenID provider for the portal's tests and demo. TEST USE ONLY.
//
// It runs the certified `oidc-provider` package configured like the Finnish Trust Network /
// Suomi.fi identification brokers: authorization code flow only, PKCE S256 required,
// private_key_jwt client authentication, signed (RS256) request objects required, ID tokens
// signed RS256 and encrypted to the client (RSA-OAEP / RSA-OAEP-256 + A256GCM), the personal
// identity code claim `urn:oid:1.2.246.21`, acr loa2/loa3, RP-initiated logout, and dynamic
// client registration guarded by an initial access token. The user "signs in" by choosing one
// of the test identities in identities.json on a plain HTML form.
//
// Environment: OIDC_PORT (required), OIDC_ISSUER (default http://127.0.0.1:$OIDC_PORT),
// OIDC_REGISTRATION_TOKEN (required: the initial access token for POST /reg).
// Keys (signing, cookies) are generated at every start: nothing here is a secret worth keeping.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

import Provider, { errors } from 'oidc-provider';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const PORT = Number(process.env.OIDC_PORT);
if (!PORT) throw new Error('OIDC_PORT is required');
const ISSUER = process.env.OIDC_ISSUER || `http://127.0.0.1:${PORT}`;
const REGISTRATION_TOKEN = process.env.OIDC_REGISTRATION_TOKEN;
if (!REGISTRATION_TOKEN) throw new Error('OIDC_REGISTRATION_TOKEN is required');

export const ACR_SUBSTANTIAL = 'http://ftn.ficora.fi/2017/loa2';
export const ACR_HIGH = 'http://ftn.ficora.fi/2017/loa3';
const IDENTITY_CLAIM = 'urn:oid:1.2.246.21';

const { identities } = JSON.parse(readFileSync(`${HERE}/identities.json`, 'utf8'));
const bySub = new Map(identities.map((i) => [i.sub, i]));

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: `test-sig-${randomBytes(4).toString('hex')}`, use: 'sig', alg: 'RS256' };
}

function htmlEscape(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

// Registration policy: the broker profile, checked for every registered client.
function validateClient(ctx, key, value, metadata) {
  const refuse = (msg) => { throw new errors.InvalidClientMetadata(msg); };
  if (key !== 'client_profile') return;
  if (metadata.token_endpoint_auth_method !== 'private_key_jwt') {
    refuse('token_endpoint_auth_method must be private_key_jwt');
  }
  if (!metadata.jwks && !metadata.jwks_uri) refuse('jwks or jwks_uri is required');
  if (!metadata.id_token_encrypted_response_alg) {
    refuse('id_token_encrypted_response_alg is required: ID tokens are always encrypted');
  }
  if (metadata.request_object_signing_alg && metadata.request_object_signing_alg !== 'RS256') {
    refuse('request_object_signing_alg must be RS256');
  }
  metadata.request_object_signing_alg = 'RS256';
  metadata.require_signed_request_object = true;
}

// The login page already shows what is released, so the grant follows the request
// (a broker asks no separate consent from the RP's point of view).
async function loadExistingGrant(ctx) {
  const { provider, client, session } = ctx.oidc;
  const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
  let grant = grantId ? await provider.Grant.find(grantId) : undefined;
  if (!grant) grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
  const claims = [...ctx.oidc.requestParamClaims];
  if (claims.length) grant.addOIDCClaims(claims);
  await grant.save();
  return grant;
}

const configuration = {
  clients: [],
  jwks: { keys: [signingKey()] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  responseTypes: ['code'],
  clientAuthMethods: ['private_key_jwt'],
  clientDefaults: {
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    id_token_signed_response_alg: 'RS256',
    request_object_signing_alg: 'RS256',
  },
  extraClientMetadata: { properties: ['client_profile'], validator: validateClient },
  pkce: { required: () => true },
  acrValues: [ACR_SUBSTANTIAL, ACR_HIGH],
  scopes: ['openid', 'profile', 'personal_identity_code'],
  claims: {
    openid: ['sub'],
    profile: ['given_name', 'family_name', 'name', 'locale', IDENTITY_CLAIM],
    personal_identity_code: [IDENTITY_CLAIM],
  },
  // Put the claims of the requested scopes into the ID token itself, as the brokers do.
  conformIdTokenClaims: false,
  enabledJWA: {
    clientAuthSigningAlgValues: ['RS256'],
    requestObjectSigningAlgValues: ['RS256'],
    idTokenSigningAlgValues: ['RS256'],
    userinfoSigningAlgValues: ['RS256'],
    idTokenEncryptionAlgValues: ['RSA-OAEP', 'RSA-OAEP-256'],
    idTokenEncryptionEncValues: ['A256GCM'],
    userinfoEncryptionAlgValues: ['RSA-OAEP', 'RSA-OAEP-256'],
    userinfoEncryptionEncValues: ['A256GCM'],
  },
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    encryption: { enabled: true },
    requestObjects: { enabled: true, requireSignedRequestObject: true },
    registration: { enabled: true, initialAccessToken: REGISTRATION_TOKEN },
    registrationManagement: { enabled: true, rotateRegistrationAccessToken: false },
    rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    revocation: { enabled: true },
    pushedAuthorizationRequests: { enabled: false },
  },
  loadExistingGrant,
  async findAccount(ctx, sub) {
    const identity = bySub.get(sub);
    if (!identity) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          given_name: identity.given_name,
          family_name: identity.family_name,
          name: `${identity.given_name} ${identity.family_name}`,
          locale: identity.locale,
          [IDENTITY_CLAIM]: identity[IDENTITY_CLAIM],
        };
      },
    };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 60,
    ClientCredentials: 600,
    Grant: 3600,
    IdToken: 600,
    Interaction: 600,
    Session: 3600,
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Error / Virhe', `<h1>Error / Virhe</h1><p><code>${htmlEscape(out.error)}</code></p>
      <p>${htmlEscape(out.error_description || '')}</p>`);
  },
};

function page(title, body) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlEscape(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:36rem;margin:1.5rem auto;padding:0 1rem;color:#1a1a1a}
.banner{background:#fff3cd;border:1px solid #e0c060;padding:.5rem .75rem;border-radius:4px;font-size:.9rem}
fieldset{border:1px solid #bbb;border-radius:4px;margin:1rem 0}
label{display:block;padding:.35rem 0}
button{font-size:1rem;padding:.55rem 1.2rem;margin:.25rem .5rem .25rem 0;cursor:pointer}
.primary{background:#0b5394;color:#fff;border:0;border-radius:4px}
code{font-size:.9em}
</style></head><body>
<p class="banner">Test identification service: test identities only, never real people.<br>
Testitunnistus: vain testihenkilöitä. Testidentifiering: endast testpersoner.</p>
${body}</body></html>`;
}

async function logoutSource(ctx, form) {
  ctx.body = page('Sign out / Kirjaudu ulos', `<h1>Sign out / Kirjaudu ulos / Logga ut</h1>
${form}
<p>Sign out of the test identification service? / Kirjaudutaanko ulos testitunnistuksesta? /
Logga ut från testidentifieringen?</p>
<button class="primary" autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Sign out / Kirjaudu ulos / Logga ut</button>
<button type="submit" form="op.logoutForm">Stay signed in / Pysy kirjautuneena / Förbli inloggad</button>`);
}

async function postLogoutSuccessSource(ctx) {
  ctx.body = page('Signed out', '<h1>Signed out / Uloskirjautunut / Utloggad</h1>');
}

const provider = new Provider(ISSUER, configuration);
provider.proxy = false;

function loginForm(uid, details, client) {
  const requested = (details.params.acr_values || '').split(' ').filter(Boolean);
  const defaultAcr = requested.find((a) => a === ACR_SUBSTANTIAL || a === ACR_HIGH) || ACR_HIGH;
  const people = identities.map((i, n) => `<label><input type="radio" name="sub" value="${htmlEscape(i.sub)}"${n === 0 ? ' checked' : ''}>
  ${htmlEscape(i.given_name)} ${htmlEscape(i.family_name)} <code>${htmlEscape(i[IDENTITY_CLAIM])}</code></label>`).join('\n');
  const level = (acr, text) => `<label><input type="radio" name="acr" value="${acr}"${acr === defaultAcr ? ' checked' : ''}> ${text} <code>${acr}</code></label>`;
  const name = `<strong>${htmlEscape(client.clientName || client.clientId)}</strong>`;
  return page('Test identification', `<h1>Test identification / Testitunnistus / Testidentifiering</h1>
<p>Signing in to ${name}: it receives your name and personal identity code.<br>
<span lang="fi">Tunnistaudut palveluun ${name}: se saa nimesi ja henkilötunnuksesi.</span><br>
<span lang="sv">Du identifierar dig för ${name}: tjänsten får ditt namn och din personbeteckning.</span></p>
<form method="post" action="/interaction/${htmlEscape(uid)}/login">
<fieldset><legend>Identity / Henkilö / Person</legend>
${people}
</fieldset>
<fieldset><legend>Level of assurance / Varmuustaso / Tillitsnivå</legend>
${level(ACR_SUBSTANTIAL, 'substantial / korotettu / betydande')}
${level(ACR_HIGH, 'high / korkea / hög')}
</fieldset>
<button class="primary" type="submit">Sign in / Tunnistaudu / Identifiera</button>
</form>
<form method="post" action="/interaction/${htmlEscape(uid)}/abort">
<button type="submit">Cancel / Peruuta / Avbryt</button>
</form>`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function handleInteraction(req, res, parts) {
  const [uid, action] = parts;
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new errors.SessionNotFound('interaction mismatch');
  if (req.method === 'GET' && !action) {
    const client = await provider.Client.find(details.params.client_id);
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    res.end(loginForm(uid, details, client));
    return;
  }
  if (req.method === 'POST' && action === 'login') {
    const form = await readForm(req);
    const sub = form.get('sub');
    const acr = form.get('acr');
    if (!bySub.has(sub) || ![ACR_SUBSTANTIAL, ACR_HIGH].includes(acr)) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('choose a listed identity and level');
      return;
    }
    await provider.interactionFinished(req, res, {
      login: { accountId: sub, acr, amr: ['test'] },
    }, { mergeWithLastSubmission: false });
    return;
  }
  if (req.method === 'POST' && action === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'the user cancelled the identification',
    }, { mergeWithLastSubmission: false });
    return;
  }
  res.writeHead(405, { 'content-type': 'text/plain' });
  res.end('method not allowed');
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, ISSUER).pathname;
  const match = path.match(/^\/interaction\/([^/]+)(?:\/(login|abort))?$/);
  if (!match) {
    callback(req, res);
    return;
  }
  try {
    await handleInteraction(req, res, [match[1], match[2]]);
  } catch (err) {
    if (!res.headersSent) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('Error', `<h1>Error / Virhe</h1><p>${htmlEscape(err.message)}</p>`));
    }
  }
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(`test OpenID provider listening on ${ISSUER} (${identities.length} test identities)`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
