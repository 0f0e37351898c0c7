// Unit tests import modules that parse the environment at load time; integration tests replace
// these with their local issuer's values before loading the route (see load-auth-route.ts).
Object.assign(process.env, {
  AUTH_LOGTO_ISSUER: 'https://logto.example.com/oidc',
  AUTH_LOGTO_ID: 'fixture-app-id',
  AUTH_LOGTO_SECRET: 'fixture-app-secret',
  NEXTAUTH_URL: 'http://app.example.com',
  NEXTAUTH_SECRET: 'fixture-secret-fixture-secret-fixture-secret',
});
