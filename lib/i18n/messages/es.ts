import type { Messages } from './en';

/** The Spanish texts of the UI, addressing the user as "tú" like the local issuer's pages. */
export const es: Messages = {
  app: {
    title: 'Inicio de sesión con Logto en next-auth v4',
    language: 'Idioma',
  },
  home: {
    signedOut: 'No has iniciado sesión.',
    signedOutLocally:
      'Cerraste la sesión en esta aplicación, pero no se pudo contactar con Logto para cerrar tu sesión de Logto.',
    protectedLink: 'Página protegida',
  },
  protected: {
    title: 'Página protegida',
    intro: 'Solo los usuarios que han iniciado sesión ven esta página.',
    userId: 'Tu ID de usuario de Logto',
    accessTokenValidUntil: 'Token de acceso válido hasta',
    homeLink: 'Inicio',
  },
  signIn: {
    title: 'Iniciar sesión',
    intro: 'Inicia sesión con tu cuenta de Logto para continuar.',
    backHome: 'Volver al inicio',
  },
  buttons: {
    signIn: 'Iniciar sesión',
    continueWithKakao: 'Continuar con Kakao',
    signOut: 'Cerrar sesión',
  },
  session: {
    expired: 'Tu sesión ha caducado.',
    signInAgain: 'Volver a iniciar sesión',
  },
  user: {
    unnamed: 'Usuario sin nombre',
    noEmail: 'Correo electrónico no compartido',
  },
  error: {
    title: 'Problema al iniciar sesión',
    tryAgain: 'Intentar de nuevo',
    backHome: 'Volver al inicio',
    code: 'Código de error',
    messages: {
      Configuration:
        'El inicio de sesión no está bien configurado en este servidor. El registro del servidor indica qué corregir.',
      AccessDenied: 'Tu cuenta no tiene permiso para iniciar sesión aquí.',
      Verification: 'Este enlace de inicio de sesión ya no es válido.',
      OAuthSignin: 'No pudimos iniciar la sesión con Logto. Es posible que no esté disponible en este momento.',
      OAuthCallback: 'El inicio de sesión no se completó: no se pudo verificar la respuesta de Logto.',
      Callback: 'El inicio de sesión no se completó por un problema de nuestra parte.',
      OAuthCreateAccount: 'No pudimos crear tu cuenta.',
      OAuthAccountNotLinked: 'Esta cuenta está vinculada a otro método de inicio de sesión.',
      SessionRequired: 'Inicia sesión para ver esta página.',
      Cancelled: 'Se canceló el inicio de sesión, así que sigues sin sesión iniciada.',
      SignOutCsrf: 'Tu solicitud para cerrar sesión caducó. Inténtalo de nuevo.',
      Default: 'Algo salió mal al iniciar tu sesión.',
    },
  },
};
