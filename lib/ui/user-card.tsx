import type { Session } from 'next-auth';
import type { Locale } from '../i18n/locales';
import { messagesFor } from '../i18n/messages';

/** The signed-in user's avatar, name and email (email is often absent for Kakao users), labelled in `locale`. */
export function UserCard({ user, locale }: { user: Session['user']; locale: Locale }) {
  const t = messagesFor(locale).user;
  return (
    <div className="user-card" data-testid="user-card">
      {user.image ? (
        // Avatars come from any host (Logto, Kakao, Gravatar…), which next/image would need listed.
        // eslint-disable-next-line @next/next/no-img-element
        <img className="avatar" src={user.image} alt="" width={64} height={64} />
      ) : (
        <div className="avatar placeholder" aria-hidden>
          {(user.name ?? '?').slice(0, 1).toUpperCase()}
        </div>
      )}
      <div>
        <p className="name" data-testid="user-name">
          {user.name ?? t.unnamed}
        </p>
        <p className="email" data-testid="user-email">
          {user.email ?? t.noEmail}
        </p>
      </div>
    </div>
  );
}
