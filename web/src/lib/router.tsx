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

interface RouterValue {
  route: string;
  navigate: (route: string) => void;
}

const RouterContext = createContext<RouterValue | null>(null);

export function Router({ children }: { children: ReactNode }) {
  const [route, setRoute] = useState(() => toRoute(window.location.pathname));

  useEffect(() => {
    const onPop = () => setRoute(toRoute(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const navigate = useCallback((next: string) => {
    const href = toHref(next);
    if (href !== window.location.pathname) {
      window.history.pushState(null, '', href);
    }
    setRoute(next);
    window.scrollTo?.(0, 0);
  }, []);

  const value = useMemo(() => ({ route, navigate }), [route, navigate]);
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
