import { encode, type JWT } from 'next-auth/jwt';
import { decodeSessionCookie } from '../host-checks';
import type { HttpBrowser } from '../http-flow/http-browser';
import { leftoverSessionCookies, readSessionCookie, replaceSessionCookie, type NextAuthApp } from '../http-flow/next-auth-flow';
import { expectLogtoTokens, type CapturedSession, type CellSessions, type LogtoTokens } from './cell-sessions';

/**
 * JWT sessions: Logto's tokens live in the session cookie, which the runner decrypts and re-encrypts with the
 * cell's NEXTAUTH_SECRET as next-auth does (the kit reads cookies next-auth's own `encode` wrote).
 */
export function createJwtSessions(context: { app: NextAuthApp; secret: string }): CellSessions {
  const decode = async (browser: HttpBrowser) => decodeSessionCookie(browser, context);
  return {
    strategy: 'jwt',
    async capture(browser) {
      const token = await decode(browser);
      if (token.provider !== 'logto') throw new Error(`the session cookie holds provider=${String(token.provider)}, not logto`);
      const tokens = tokensOf(token);
      expectLogtoTokens(tokens, 'session cookie');
      return { tokens, cookie: readSessionCookie(browser, context.app) ?? '', capturedAt: Date.now(), where: 'the session cookie' };
    },
    async expire(browser, session: CapturedSession) {
      const token = await decode(browser);
      const expiresAt = Math.floor(Date.now() / 1000) - 60;
      replaceSessionCookie(browser, context.app, await encode({ token: { ...token, expiresAt }, secret: context.secret }));
      return `cookie re-encrypted with expiresAt ${expiresAt} (was ${session.tokens.expiresAt})`;
    },
    async expectGone(browser) {
      const left = leftoverSessionCookies(browser, context.app);
      if (left.length > 0) throw new Error(`the app left the session cookie in place: ${left.join(', ')}`);
      return 'session cookie cleared';
    },
    close: async () => undefined,
  };
}

function tokensOf(token: JWT): LogtoTokens {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    accessToken: text(token.accessToken),
    refreshToken: text(token.refreshToken),
    idToken: text(token.idToken),
    expiresAt: typeof token.expiresAt === 'number' ? token.expiresAt : undefined,
  };
}
