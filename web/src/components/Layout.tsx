import type { ReactNode } from 'react';
import { Link } from '../lib/router';

const NAV = [
  { to: '/status', label: 'Status' },
  { to: '/organizations', label: 'Organizations' },
];

export function Layout({ children }: { children: ReactNode }) {
  return (
    <div className="shell">
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/" className="brand" aria-label="hirewire home">
            <span className="brand__mark" aria-hidden="true">
              h
            </span>
            <span className="brand__name">hirewire</span>
          </Link>
          <nav aria-label="Main" className="nav">
            {NAV.map((item) => (
              <Link key={item.to} to={item.to} className="nav__link">
                {item.label}
              </Link>
            ))}
          </nav>
        </div>
      </header>
      <main className="content">{children}</main>
      <footer className="footer">hirewire · AI interviews for employers</footer>
    </div>
  );
}
