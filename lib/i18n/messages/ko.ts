import type { Messages } from './en';

/** The Korean texts of the UI, in the formal polite style (합니다체). */
export const ko: Messages = {
  app: {
    title: 'next-auth v4에서 Logto로 로그인',
    language: '언어',
  },
  home: {
    signedOut: '로그인하지 않은 상태입니다.',
    signedOutLocally: '이 앱에서는 로그아웃되었지만, Logto에 연결할 수 없어 Logto 세션을 종료하지 못했습니다.',
    protectedLink: '보호된 페이지',
    booksLink: '도서',
  },
  books: {
    title: '도서',
    empty: '이 서가에는 책이 없습니다.',
    byAuthor: '{author} 지음',
    homeLink: '홈',
    needsRole:
      '도서를 보려면 계정에 reader 역할이 필요합니다. 관리자에게 Logto Console → 사용자 관리 → 역할에서 할당해 달라고 요청하세요.',
    needsOrganizationRole: '이 조직에서 read:books 권한이 있는 조직 역할이 계정에 필요합니다.',
    unavailable: {
      not_configured: '이 서버에는 도서 API가 설정되어 있지 않습니다. AUTH_LOGTO_RESOURCES를 설정하세요.',
      unknown_resource: 'Logto가 이 앱에 도서 API용 토큰을 발급하지 않습니다. 설정할 내용은 서버 로그에 나와 있습니다.',
      missing_scope: '이 앱은 Logto에 조직 토큰을 요청하지 않습니다. 설정할 내용은 서버 로그에 나와 있습니다.',
      no_refresh_token: '현재 세션으로는 도서 API용 토큰을 받을 수 없습니다. 로그아웃한 뒤 다시 로그인하세요. 자세한 내용은 서버 로그에 있습니다.',
      access_denied: 'Logto가 이 조직의 토큰을 거부했습니다. 이 계정은 조직의 구성원이 아닙니다.',
      app_access_denied: '이 계정은 더 이상 이 앱을 사용할 수 없습니다. 관리자에게 Logto Console → 애플리케이션 → 이 앱 → 규칙에서 허용해 달라고 요청하세요.',
      issuer_error: '토큰을 받기 위해 Logto에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.',
      database_error: '세션 저장소가 응답하지 않았습니다. 잠시 후 다시 시도해 주세요.',
      api_error: '도서 API가 요청을 거부했습니다. 이유는 서버 로그에 나와 있습니다.',
    },
  },
  organizations: {
    label: '조직',
    current: '조직:',
    booksOf: '{organization}의 도서',
  },
  protected: {
    title: '보호된 페이지',
    intro: '로그인한 사용자만 이 페이지를 볼 수 있습니다.',
    userId: 'Logto 사용자 ID',
    accessTokenValidUntil: '액세스 토큰 만료 시각',
    homeLink: '홈',
  },
  publicPage: {
    title: '공개 페이지',
    intro: '누구나 이 페이지를 볼 수 있습니다. 요청마다 서버에서 렌더링되며 세션을 읽지 않습니다.',
    renderedAt: '렌더링 시각',
    homeLink: '홈',
  },
  signIn: {
    title: '로그인',
    intro: '계속하려면 Logto 계정으로 로그인하세요.',
    backHome: '홈으로 돌아가기',
  },
  buttons: {
    signIn: '로그인',
    continueWithKakao: '카카오로 계속하기',
    signOut: '로그아웃',
  },
  session: {
    expired: '세션이 만료되었습니다.',
    signInAgain: '다시 로그인',
  },
  user: {
    unnamed: '이름 없는 사용자',
    noEmail: '공유된 이메일 없음',
  },
  error: {
    title: '로그인 문제',
    tryAgain: '다시 시도',
    backHome: '홈으로 돌아가기',
    code: '오류 코드',
    messages: {
      Configuration: '이 서버의 로그인 설정이 올바르지 않습니다. 고칠 내용은 서버 로그에 나와 있습니다.',
      AccessDenied: '이 계정으로는 여기에 로그인할 수 없습니다.',
      Verification: '이 로그인 링크는 더 이상 유효하지 않습니다.',
      OAuthSignin: 'Logto 로그인을 시작하지 못했습니다. 지금은 Logto에 연결할 수 없는 것 같습니다.',
      OAuthCallback: '로그인을 완료하지 못했습니다. Logto의 응답을 검증할 수 없습니다.',
      Callback: '저희 쪽 문제로 로그인을 완료하지 못했습니다.',
      OAuthCreateAccount: '계정을 만들지 못했습니다.',
      OAuthAccountNotLinked: '이 계정은 다른 로그인 방법에 연결되어 있습니다.',
      SessionRequired: '이 페이지를 보려면 로그인하세요.',
      Cancelled: '로그인이 취소되어 로그인하지 않은 상태입니다.',
      AppAccessDenied:
        '이 계정은 이 앱을 사용할 수 없어 로그인하지 않은 상태입니다. 관리자에게 접근 권한을 요청하세요. ' +
        '관리자: Logto Console → 어플리케이션 → 이 앱 → 규칙에서 이 사용자에 맞는 허용 규칙(사용자, 사용자 역할, 조직 또는 조직 역할)을 추가하고 저장하세요.',
      SignOutCsrf: '로그아웃 요청이 만료되었습니다. 다시 시도해 주세요.',
      Default: '로그인하는 중에 문제가 발생했습니다.',
    },
  },
};
