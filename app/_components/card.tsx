import { useId, type ReactNode } from 'react';

interface CardProps {
  title: string;
  /** Rendered beside the title, e.g. a status badge. */
  aside?: ReactNode;
  busy?: boolean;
  wide?: boolean;
  children: ReactNode;
}

export function Card({ title, aside, busy = false, wide = false, children }: CardProps) {
  const headingId = useId();
  return (
    <section className={wide ? 'card card--wide' : 'card'} aria-labelledby={headingId} aria-busy={busy}>
      <header className="card__header">
        <h2 id={headingId} className="card__title">
          {title}
        </h2>
        {aside}
      </header>
      {children}
    </section>
  );
}
