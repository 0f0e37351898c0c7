import type { Session } from 'next-auth';

/** The signed-in user's avatar, name and email; email is often absent for Kakao users. */
export function UserCard({ user }: { user: Session['user'] }) {
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
          {user.name ?? 'Unnamed user'}
        </p>
        <p className="email" data-testid="user-email">
          {user.email ?? 'No email shared'}
        </p>
      </div>
    </div>
  );
}
