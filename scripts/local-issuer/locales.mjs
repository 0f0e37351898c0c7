/** The languages of the issuer's pages; the first is the fallback. */
export const SUPPORTED_LOCALES = Object.freeze(['en', 'es', 'ko']);

/**
 * Picks the page language from the `ui_locales` parameter (OIDC Core §3.1.2.1: "space-separated
 * list of BCP47 language tag values, ordered by preference"): the first tag whose language is
 * supported wins, so `ko-KR es` gives `ko`; anything else gives `en`.
 * @returns {'en' | 'es' | 'ko'}
 */
export function resolveLocale(uiLocales) {
  if (typeof uiLocales !== 'string') return 'en';
  for (const tag of uiLocales.split(' ')) {
    const language = tag.split('-')[0].toLowerCase();
    if (SUPPORTED_LOCALES.includes(language)) return /** @type {'en' | 'es' | 'ko'} */ (language);
  }
  return 'en';
}

/**
 * The pages' texts per language. `{app}` is replaced with the app's origin.
 * @type {Readonly<Record<'en' | 'es' | 'ko', Record<string, string>>>}
 */
export const MESSAGES = Object.freeze({
  en: {
    banner: 'Local development issuer — not Logto',
    titleSuffix: 'Local development issuer',
    signInTitle: 'Sign in',
    signInSubtitle: 'to continue to {app}',
    username: 'Username',
    password: 'Password',
    signInButton: 'Sign in',
    continueWithKakao: 'Continue with Kakao',
    demoUsers: 'Demo users:',
    cancel: 'Cancel',
    wrongCredentials: 'Wrong username or password.',
    kakaoHeader: 'Kakao (local simulation)',
    kakaoTitle: 'Sign in with Kakao',
    kakaoAsks: '{app} asks to see your Kakao profile:',
    kakaoNickname: 'Nickname',
    kakaoPicture: 'Profile picture',
    kakaoNoEmail: 'Your email address is not shared.',
    kakaoAgree: 'Agree and continue',
    errorTitle: 'Something went wrong',
    signingOut: 'Signing out…',
    signOutButton: 'Sign out',
    signedOutTitle: 'Signed out',
    signedOutBody: 'You can close this window.',
    // Logto's experience texts (phrases-experience): the username step of a social sign-up …
    setUsernameTitle: 'Set username',
    setUsernameDescription:
      'Username is an alternative for sign-in. Username should contain only letters, numbers, and underscores.',
    continue: 'Continue',
    username_required: 'Username is required',
    username_should_not_start_with_number: 'Username should not start with a number',
    username_invalid_charset: 'Username should only contain letters, numbers, or underscores.',
    username_too_long: 'Username must be at most 128 characters long.',
    username_exists: 'Username already exists',
    // … and the page of a user the app's access control refuses.
    accessDeniedTitle: 'Access denied',
    accessDeniedBody: 'You do not have permission to access this application.\nPlease contact your administrator for assistance.',
  },
  es: {
    banner: 'Emisor local de desarrollo — no es Logto',
    titleSuffix: 'Emisor local de desarrollo',
    signInTitle: 'Iniciar sesión',
    signInSubtitle: 'para continuar a {app}',
    username: 'Usuario',
    password: 'Contraseña',
    signInButton: 'Iniciar sesión',
    continueWithKakao: 'Continuar con Kakao',
    demoUsers: 'Usuarios de demostración:',
    cancel: 'Cancelar',
    wrongCredentials: 'Usuario o contraseña incorrectos.',
    kakaoHeader: 'Kakao (simulación local)',
    kakaoTitle: 'Iniciar sesión con Kakao',
    kakaoAsks: '{app} quiere ver tu perfil de Kakao:',
    kakaoNickname: 'Apodo',
    kakaoPicture: 'Foto de perfil',
    kakaoNoEmail: 'Tu correo electrónico no se comparte.',
    kakaoAgree: 'Aceptar y continuar',
    errorTitle: 'Algo salió mal',
    signingOut: 'Cerrando sesión…',
    signOutButton: 'Cerrar sesión',
    signedOutTitle: 'Sesión cerrada',
    signedOutBody: 'Ya puedes cerrar esta ventana.',
    setUsernameTitle: 'Establecer nombre de usuario',
    setUsernameDescription:
      'El nombre de usuario es una alternativa para iniciar sesión. Debe contener solo letras, números y guiones bajos.',
    continue: 'Continuar',
    username_required: 'Se requiere un nombre de usuario',
    username_should_not_start_with_number: 'El nombre de usuario no debe comenzar con un número',
    username_invalid_charset: 'El nombre de usuario solo debe contener letras, números o guiones bajos.',
    username_too_long: 'El nombre de usuario debe tener como máximo 128 caracteres.',
    username_exists: 'El nombre de usuario ya existe',
    accessDeniedTitle: 'Acceso denegado',
    accessDeniedBody:
      'No tiene permiso para acceder a esta aplicación.\nPor favor, contacte a su administrador para obtener ayuda.',
  },
  ko: {
    banner: '로컬 개발용 발급자 — Logto가 아닙니다',
    titleSuffix: '로컬 개발용 발급자',
    signInTitle: '로그인',
    signInSubtitle: '{app}(으)로 계속하려면 로그인하세요',
    username: '사용자 이름',
    password: '비밀번호',
    signInButton: '로그인',
    continueWithKakao: '카카오로 계속하기',
    demoUsers: '데모 사용자:',
    cancel: '취소',
    wrongCredentials: '사용자 이름 또는 비밀번호가 올바르지 않습니다.',
    kakaoHeader: '카카오 (로컬 시뮬레이션)',
    kakaoTitle: '카카오로 로그인',
    kakaoAsks: '{app}에서 카카오 프로필 정보를 요청합니다:',
    kakaoNickname: '닉네임',
    kakaoPicture: '프로필 사진',
    kakaoNoEmail: '이메일 주소는 공유되지 않습니다.',
    kakaoAgree: '동의하고 계속하기',
    errorTitle: '문제가 발생했습니다',
    signingOut: '로그아웃 중…',
    signOutButton: '로그아웃',
    signedOutTitle: '로그아웃되었습니다',
    signedOutBody: '이 창을 닫아도 됩니다.',
    setUsernameTitle: '사용자 이름 설정하기',
    setUsernameDescription:
      '사용자 이름은 로그인을 할 때 사용되요. 사용자 이름에는 문자, 숫자 및 밑줄만 포함되어야 해요.',
    continue: '계속',
    username_required: '사용자 이름은 필수예요.',
    username_should_not_start_with_number: '사용자 이름은 숫자로 시작하면 안 돼요.',
    username_invalid_charset: '사용자 이름은 문자, 숫자, _(밑줄 문자) 로만 이루어져야 해요.',
    username_too_long: '사용자 이름은 최대 128자 이하여야 해요.',
    username_exists: '사용자 이름이 이미 존재해요.',
    accessDeniedTitle: '접근이 거부되었어요',
    accessDeniedBody: '이 애플리케이션에 액세스할 권한이 없습니다.\n관리자에게 도움을 요청하세요.',
  },
});
