import { ErrorBoundary } from './components/ErrorBoundary';
import { Layout } from './components/Layout';
import { Router, useRouter } from './lib/router';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OrganizationsPage } from './pages/OrganizationsPage';
import { StatusPage } from './pages/StatusPage';

function Routes() {
  const { route } = useRouter();
  let page;
  switch (route) {
    case '/':
      page = <HomePage />;
      break;
    case '/status':
      page = <StatusPage />;
      break;
    case '/organizations':
      page = <OrganizationsPage />;
      break;
    default:
      page = <NotFoundPage route={route} />;
  }
  // Keyed by route so a page that crashed gets a fresh boundary after navigating away.
  return <ErrorBoundary key={route}>{page}</ErrorBoundary>;
}

export function App() {
  return (
    <Router>
      <Layout>
        <Routes />
      </Layout>
    </Router>
  );
}
