/** The heading of every screen: its title, one line on what it is for, and the screen's own actions. */
import type { ReactNode } from 'react';

export function ScreenHead({ title, intro, children }: { title: string; intro: string; children?: ReactNode }) {
  return (
    <div className="screen-head">
      <div>
        <h1 className="screen-head__title">{title}</h1>
        <p className="screen-head__intro">{intro}</p>
      </div>
      {children}
    </div>
  );
}
