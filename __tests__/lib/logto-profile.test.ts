import type { LogtoProfile } from '@/lib/logto/profile';
import { logtoProvider } from '@/pages/api/auth/[...nextauth]';
import { emailUser, kakaoUser } from '../helpers/fixtures/logto-users';

// The mapper ignores the tokens; next-auth passes the token endpoint's answer, so pass one of that shape.
const tokens: Parameters<typeof logtoProvider.profile>[1] = {
  access_token: 'fixture-access-token',
  token_type: 'Bearer',
  expires_at: 1764205200,
};

/** The next-auth user the real `logto` provider makes of these id_token claims. */
async function mapProfile(claims: LogtoProfile) {
  return logtoProvider.profile(claims, tokens);
}

describe('logto provider profile()', () => {
  it('maps sub to id, name to name, email to email and picture to image', async () => {
    expect(await mapProfile(emailUser)).toEqual({
      id: 'u1emailuser1',
      name: 'Alice Example',
      email: 'alice@example.com',
      image: 'https://avatars.example.com/alice.png',
    });
  });

  it('falls back to the username when the name is null', async () => {
    expect(await mapProfile({ ...emailUser, name: null })).toMatchObject({ name: 'alice' });
  });

  it('falls back to the username when the name claim is absent', async () => {
    const claims: LogtoProfile = { ...emailUser };
    delete claims.name;
    expect(await mapProfile(claims)).toMatchObject({ name: 'alice' });
  });

  it('gives a null name when both name and username are missing', async () => {
    expect(await mapProfile({ sub: 'u3bareuser33' })).toEqual({ id: 'u3bareuser33', name: null, email: null, image: null });
  });

  it('keeps a null email as null', async () => {
    expect(await mapProfile({ ...emailUser, email: null })).toMatchObject({ email: null });
  });

  it('gives a null email and image when the claims are absent', async () => {
    const claims: LogtoProfile = { ...emailUser };
    delete claims.email;
    delete claims.picture;
    expect(await mapProfile(claims)).toMatchObject({ email: null, image: null });
  });

  it('maps a Kakao-linked user: Kakao nickname as name, Kakao picture as image, no email', async () => {
    expect(await mapProfile(kakaoUser)).toEqual({
      id: 'u2kakaouser2',
      name: '김카카오',
      email: null,
      image: 'https://img1.kakaocdn.example.com/thumb/R640x640.q70/profile.jpg',
    });
  });

  it('keeps the Logto sub, not the Kakao user id, as the user id', async () => {
    const user = await mapProfile(kakaoUser);
    expect(user.id).toBe(kakaoUser.sub);
    expect(user.id).not.toBe(kakaoUser.identities.kakao.userId);
  });
});
