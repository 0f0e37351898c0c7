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
    booksLink: 'Libros',
  },
  books: {
    title: 'Libros',
    empty: 'No hay libros en este estante.',
    byAuthor: 'de {author}',
    homeLink: 'Inicio',
    needsRole:
      'Tu cuenta necesita el rol reader para ver los libros. Pide a un administrador que te lo asigne en Logto Console → Gestión de usuarios → Roles.',
    needsOrganizationRole: 'Tu cuenta necesita un rol de organización con el permiso read:books en esta organización.',
    unavailable: {
      not_configured: 'La API de libros no está configurada en este servidor: define AUTH_LOGTO_RESOURCES.',
      unknown_resource:
        'Logto no emite tokens para la API de libros a esta aplicación. El registro del servidor indica qué configurar.',
      missing_scope:
        'Esta aplicación no pide a Logto tokens de organización. El registro del servidor indica qué configurar.',
      no_refresh_token:
        'Tu sesión no puede obtener tokens para la API de libros. Cierra sesión y vuelve a iniciarla; el registro del servidor da más detalles.',
      access_denied: 'Logto rechazó un token para esta organización: tu cuenta no es miembro.',
      app_access_denied: 'Tu cuenta ya no puede usar esta aplicación. Pide a tu administrador que la permita en Logto Console → Aplicaciones → esta aplicación → Reglas.',
      issuer_error: 'No se pudo contactar con Logto para obtener un token. Inténtalo de nuevo en un momento.',
      database_error: 'El almacén de sesiones no respondió. Inténtalo de nuevo en un momento.',
      api_error: 'La API de libros rechazó la solicitud. El registro del servidor indica por qué.',
    },
  },
  organizations: {
    label: 'Organizaciones',
    current: 'Organización:',
    booksOf: 'Libros de {organization}',
  },
  protected: {
    title: 'Página protegida',
    intro: 'Solo los usuarios que han iniciado sesión ven esta página.',
    userId: 'Tu ID de usuario de Logto',
    accessTokenValidUntil: 'Token de acceso válido hasta',
    homeLink: 'Inicio',
  },
  publicPage: {
    title: 'Página pública',
    intro: 'Cualquiera puede ver esta página. Se genera en el servidor en cada solicitud y no lee ninguna sesión.',
    renderedAt: 'Generada el',
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
      AppAccessDenied:
        'Tu cuenta no tiene permiso para usar esta aplicación, así que sigues sin sesión iniciada. Pide acceso a tu administrador. ' +
        'Administrador: en Logto Console → Aplicaciones → esta aplicación → Reglas, agrega una regla de permiso que incluya a este usuario (un usuario, un rol de usuario, una organización o un rol de organización) y guarda.',
      SignOutCsrf: 'Tu solicitud para cerrar sesión caducó. Inténtalo de nuevo.',
      Default: 'Algo salió mal al iniciar tu sesión.',
    },
  },
};
