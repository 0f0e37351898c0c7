import 'openid-client';

declare module 'openid-client' {
  interface Issuer {
    /** Refetches `jwks_uri` now, bypassing openid-client's 60 s throttle (public in openid-client v5, untyped). */
    reloadJwksUri(): Promise<void>;
  }
}
