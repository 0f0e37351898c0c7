import { getServerSideProps, sampleSession } from '@/pages/bench/protected-shape';
import { pageContext } from '../helpers/page-context';

describe('/bench/protected-shape getServerSideProps', () => {
  afterEach(() => {
    delete process.env.LOGTO_BENCH_PAGES;
  });

  it('answers 404 unless the server runs with LOGTO_BENCH_PAGES=1, as only npm run bench starts it', async () => {
    await expect(getServerSideProps(pageContext('/bench/protected-shape'))).resolves.toEqual({ notFound: true });
    process.env.LOGTO_BENCH_PAGES = 'true';
    await expect(getServerSideProps(pageContext('/bench/protected-shape'))).resolves.toEqual({ notFound: true });
  });

  it("gives /protected's page the props a signed-in user's read gives it, in the visitor's language", async () => {
    process.env.LOGTO_BENCH_PAGES = '1';

    const result = await getServerSideProps(pageContext('/bench/protected-shape', { 'accept-language': 'ko-KR' }));

    // The sample session, which __tests__/pages/protected.test.ts checks against the real session of the test issuer's user.
    expect(result).toEqual({
      props: { session: { ...sampleSession(0), expires: expect.any(String), accessTokenExpiresAt: expect.any(Number) }, locale: 'ko' },
    });
  });
});
