import { errors } from 'oidc-provider';

import { KAKAO_ACCOUNT, passwordUsers } from './demo-users.mjs';
import { accessDeniedPage, errorPage, kakaoConsentPage, signInPage, usernamePage } from './interaction-views.mjs';
import { MESSAGES, resolveLocale } from './locales.mjs';

/** Path prefix of the sign-in screens; oidc-provider's `interactions.url` points here. */
export const INTERACTION_PATH_PREFIX = '/interaction/';

const INTERACTION_ROUTE = /^\/interaction\/([^/]+)(?:\/(login|kakao|username|abort))?$/;
const MAX_FORM_BYTES = 16 * 1024;
const DEMO_CREDENTIALS = passwordUsers().map(({ username, password }) => ({ username, password }));

/**
 * @typedef {object} InteractionDeps
 * @property {import('./user-directory.mjs').UserDirectory} users Who can sign in, and Kakao sign-ups.
 * @property {import('./app-access-control.mjs').AppAccessControl} accessControl Who may use the app.
 * @property {Pick<Console, 'error'>} logger
 */

/**
 * Handles `/interaction/:uid[/login|/kakao|/username|/abort]`: the sign-in page, the simulated Kakao
 * screen (and, for a Kakao account nobody has yet, the username step of its sign-up), and an automatic
 * consent for this first-party app, as Logto grants it — or, for a user the app's access control refuses,
 * Logto's "Access denied" page. The pages speak the language the authorization request's `ui_locales`
 * asks for (en, es or ko).
 * @param {import('oidc-provider').Provider} provider
 * @param {InteractionDeps} deps
 */
export function createInteractionHandler(provider, { users, accessControl, logger }) {
  const finish = (req, res, result) =>
    provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });

  async function route(req, res, action, interaction) {
    const { prompt, params } = interaction;
    // oidc-provider fills in redirect_uri when the request omitted it (single registered URI).
    const appOrigin = new URL(params.redirect_uri).origin;
    const locale = resolveLocale(params.ui_locales);
    const uid = interaction.uid;

    switch (`${req.method} ${action}`) {
      case 'GET show':
        if (prompt.name === 'consent') {
          // Logto 1.41+ checks app-level access control at the consent step (core middleware
          // koa-auto-consent.ts falls through to the Consent page, whose API answers oidc.access_denied).
          if (!accessControl.isAllowed(interaction.session.accountId)) {
            return sendHtml(res, 403, accessDeniedPage({ locale, signOutUrl: signOutUrlFor(provider, params) }));
          }
          return grantConsent(provider, req, res, interaction);
        }
        assertLoginPrompt(prompt);
        return directSocialTarget(params) === 'kakao'
          ? sendHtml(res, 200, kakaoConsentPage({ locale, uid, appOrigin }))
          : sendHtml(res, 200, signInPage({ locale, uid, appOrigin, users: DEMO_CREDENTIALS }));

      case 'POST login': {
        assertLoginPrompt(prompt);
        const form = await readForm(req);
        const username = form.get('username') ?? '';
        const user = users.findByCredentials(username, form.get('password') ?? '');
        if (!user) {
          const error = MESSAGES[locale].wrongCredentials;
          const view = { locale, uid, appOrigin, users: DEMO_CREDENTIALS, username, error };
          return sendHtml(res, 200, signInPage(view));
        }
        return finish(req, res, { login: { accountId: user.id } });
      }

      case 'GET kakao':
        assertLoginPrompt(prompt);
        return sendHtml(res, 200, kakaoConsentPage({ locale, uid, appOrigin }));

      case 'POST kakao': {
        assertLoginPrompt(prompt);
        const user = users.findBySocialIdentity('kakao', KAKAO_ACCOUNT.id);
        if (user) return finish(req, res, { login: { accountId: user.id } });
        // No user has this Kakao account and Kakao shared no email to go by: Logto's sign-up asks for the
        // missing identifier (the sign-up identifier "Username"). The interaction remembers the verified account.
        await provider.interactionResult(req, res, { kakaoSignUp: { ...KAKAO_ACCOUNT } }, { mergeWithLastSubmission: false });
        return sendHtml(res, 200, usernamePage({ locale, uid }));
      }

      case 'GET username':
        assertLoginPrompt(prompt);
        assertKakaoSignUp(interaction);
        return sendHtml(res, 200, usernamePage({ locale, uid }));

      case 'POST username': {
        assertLoginPrompt(prompt);
        const account = assertKakaoSignUp(interaction);
        const username = (await readForm(req)).get('username') ?? '';
        const problem = users.usernameProblem(username);
        if (problem) return sendHtml(res, 200, usernamePage({ locale, uid, username, problem }));
        const user = users.signUpWithSocial({ username, target: 'kakao', account });
        return finish(req, res, { login: { accountId: user.id } });
      }

      case 'GET abort':
      case 'POST abort':
        return finish(req, res, {
          error: 'access_denied',
          error_description: 'The user cancelled the sign-in.',
        });

      default:
        return sendHtml(res, 405, errorPage({ locale, error: 'method_not_allowed' }));
    }
  }

  return async function handleInteraction(req, res, pathname) {
    const match = INTERACTION_ROUTE.exec(pathname);
    if (!match) return sendHtml(res, 404, errorPage({ locale: 'en', error: 'not_found' }));
    const [, uid, action = 'show'] = match;

    // Errors before the interaction is found have no ui_locales to follow.
    let locale = 'en';
    try {
      const interaction = await provider.interactionDetails(req, res);
      locale = resolveLocale(interaction.params.ui_locales);
      if (interaction.uid !== uid) {
        throw new errors.SessionNotFound('interaction session and URL do not match');
      }
      await route(req, res, action, interaction);
    } catch (error) {
      if (res.headersSent) {
        logger.error(error);
        res.end();
        return;
      }
      if (error instanceof errors.OIDCProviderError && error.statusCode < 500) {
        const view = { locale, error: error.message, description: error.error_description };
        sendHtml(res, error.statusCode, errorPage(view));
        return;
      }
      logger.error(error);
      sendHtml(res, 500, errorPage({ locale, error: 'server_error' }));
    }
  };
}

/**
 * Grants what the consent prompt found missing (scopes including `offline_access`, claims) and
 * resumes the authorization, so no consent screen appears, as for Logto's first-party apps.
 */
async function grantConsent(provider, req, res, interaction) {
  const { prompt, params, session, grantId } = interaction;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });

  const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details;
  if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const savedGrantId = await grant.save();

  await provider.interactionFinished(
    req,
    res,
    { consent: grantId ? {} : { grantId: savedGrantId } },
    { mergeWithLastSubmission: true },
  );
}

/** Where Logto's "Access denied" page signs out: end_session for this app, in the page's language. */
function signOutUrlFor(provider, params) {
  const url = new URL(`${provider.issuer}/session/end`);
  url.searchParams.set('client_id', params.client_id);
  if (params.ui_locales) url.searchParams.set('ui_locales', params.ui_locales);
  return url.href;
}

/** The Kakao account this interaction verified and found no user for; the username step needs one. */
function assertKakaoSignUp(interaction) {
  const account = interaction.result?.kakaoSignUp;
  if (!account) throw new errors.InvalidRequest('continue with Kakao before choosing a username');
  return account;
}

/** The social target of Logto's `direct_sign_in=social:<target>` parameter, if any. */
function directSocialTarget(params) {
  const [method, target] = String(params.direct_sign_in ?? '').split(':');
  return method === 'social' ? target : undefined;
}

function assertLoginPrompt(prompt) {
  if (prompt.name !== 'login') {
    throw new errors.InvalidRequest(`the pending prompt is "${prompt.name}", not "login"`);
  }
}

async function readForm(req) {
  if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
    throw new errors.InvalidRequest('expected an application/x-www-form-urlencoded body');
  }
  req.setEncoding('utf8');
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_FORM_BYTES) throw new errors.InvalidRequest('form body too large');
  }
  return new URLSearchParams(body);
}

function sendHtml(res, status, html) {
  res
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
    })
    .end(html);
}
