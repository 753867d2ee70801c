import { Link } from '../lib/router';

export function NotFoundPage({ route }: { route: string }) {
  return (
    <section>
      <h1 className="page-title">Page not found</h1>
      <div className="panel panel--empty">
        <p>
          There is no page at <code>{route}</code>.
        </p>
        <Link to="/" className="button">
          Go to the start page
        </Link>
      </div>
    </section>
  );
}
