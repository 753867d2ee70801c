import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type AnchorHTMLAttributes,
  type MouseEvent,
  type ReactNode,
} from 'react';

/// A tiny client-side router for the SPA mounted under the Vite base (`/app/`).
/// Routes are app-relative paths ("/", "/status"); the base is added and stripped here only.

const BASE = __APP_BASE__.replace(/\/+$/, ''); // "/app"

/// Turns a browser pathname into an app-relative route ("/app/status" -> "/status").
export function toRoute(pathname: string): string {
  let rest = pathname;
  if (BASE && (rest === BASE || rest.startsWith(BASE + '/'))) {
    rest = rest.slice(BASE.length);
  }
  rest = rest.replace(/\/+$/, '');
  return rest === '' ? '/' : rest;
}

/// Turns an app-relative route into the browser pathname ("/status" -> "/app/status").
export function toHref(route: string): string {
  return route === '/' ? `${BASE}/` : `${BASE}${route}`;
}

/// Matches an app-relative route against a pattern with ":name" segments
/// ("/jobs/:job" vs "/jobs/42" -> {job: "42"}); null when it does not match. Segments are
/// URI-decoded; an empty segment never matches a parameter.
export function matchRoute(pattern: string, route: string): Record<string, string> | null {
  const ps = pattern.split('/');
  const rs = route.split('/');
  if (ps.length !== rs.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < ps.length; i++) {
    if (ps[i].startsWith(':')) {
      if (!rs[i]) return null;
      try {
        params[ps[i].slice(1)] = decodeURIComponent(rs[i]);
      } catch {
        return null;
      }
    } else if (ps[i] !== rs[i]) {
      return null;
    }
  }
  return params;
}

interface RouterValue {
  route: string;
  /** The query string of the current URL ("?a=b" or ""). */
  search: string;
  /** The fragment of the current URL ("#token=..." or ""). */
  hash: string;
  /** Goes to an app-relative route, which may carry a query and a fragment ("/login?next=/x"). */
  navigate: (route: string, opts?: { replace?: boolean }) => void;
}

const RouterContext = createContext<RouterValue | null>(null);

interface Loc {
  route: string;
  search: string;
  hash: string;
}

function currentLoc(): Loc {
  return {
    route: toRoute(window.location.pathname),
    search: window.location.search,
    hash: window.location.hash,
  };
}

export function Router({ children }: { children: ReactNode }) {
  const [loc, setLoc] = useState<Loc>(currentLoc);

  useEffect(() => {
    const onPop = () => setLoc(currentLoc());
    window.addEventListener('popstate', onPop);
    window.addEventListener('hashchange', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('hashchange', onPop);
    };
  }, []);

  const navigate = useCallback((next: string, opts?: { replace?: boolean }) => {
    const m = /^([^?#]*)(\?[^#]*)?(#.*)?$/.exec(next);
    const route = m?.[1] || '/';
    const search = m?.[2] ?? '';
    const hash = m?.[3] ?? '';
    const href = toHref(route) + search + hash;
    const current = window.location.pathname + window.location.search + window.location.hash;
    if (href !== current) {
      if (opts?.replace) window.history.replaceState(null, '', href);
      else window.history.pushState(null, '', href);
    }
    setLoc({ route: toRoute(toHref(route)), search, hash });
    window.scrollTo?.(0, 0);
  }, []);

  const value = useMemo(() => ({ ...loc, navigate }), [loc, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter() outside <Router>');
  return value;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/// An anchor that navigates in-app on a plain left click and behaves like a normal link otherwise
/// (new tab, copy link address).
export function Link({ to, onClick, ...rest }: LinkProps) {
  const { route, navigate } = useRouter();
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return;
    }
    e.preventDefault();
    navigate(to);
  };
  return (
    <a
      href={toHref(to)}
      aria-current={route === to ? 'page' : undefined}
      onClick={handle}
      {...rest}
    />
  );
}
