export function OrganizationsPage() {
  return (
    <section>
      <h1 className="page-title">Organizations</h1>
      <div className="panel panel--empty">
        <p>Organization management is coming soon.</p>
        <p className="muted">
          Until then, org admins use the admin API under <code>/api/v1/orgs</code>.
        </p>
      </div>
    </section>
  );
}
