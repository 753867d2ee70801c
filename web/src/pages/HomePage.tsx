import { Link } from '../lib/router';

export function HomePage() {
  return (
    <section>
      <h1 className="page-title">Welcome to hirewire</h1>
      <p className="lede">
        Connect your applicant tracking system, approve interview content and invite candidates.
      </p>
      <div className="cards">
        <Link to="/status" className="card">
          <h2>Status</h2>
          <p>Is the server ready? Database, migrations and background supervisors.</p>
        </Link>
        <Link to="/organizations" className="card">
          <h2>Organizations</h2>
          <p>The organizations hosted on this server.</p>
        </Link>
      </div>
    </section>
  );
}
