import type { Action } from './permissions';
import { matchRoute } from './router';

/// The organization-scoped screens, the action each needs (permissions.ts) and how the
/// "You don't have access" page names it. Navigation shows only the ones the role allows.
export interface Screen {
  route: string;
  label: string;
  action: Action;
  what: string;
  blurb: string;
}

export const ORG_SCREENS: Screen[] = [
  { route: '/jobs', label: 'Jobs', action: 'job.read', what: 'the jobs', blurb: 'Jobs imported from your ATS, their candidates and pipeline.' },
  { route: '/library', label: 'Library', action: 'content.read', what: 'the interview library', blurb: 'Questions and coding challenges, their versions and review.' },
  { route: '/review', label: 'Review queue', action: 'content.approve', what: 'the review queue', blurb: 'Library items waiting for a reviewer.' },
  { route: '/integrations', label: 'Integrations', action: 'ats.read', what: 'the ATS integrations', blurb: 'Connect Greenhouse or Lever and watch the sync.' },
  { route: '/members', label: 'Members', action: 'member.list', what: 'the member list', blurb: 'People in the organization and their roles.' },
  { route: '/invitations', label: 'Invitations', action: 'member.invite', what: 'teammate invitations', blurb: 'Invite teammates; resend or revoke invitations.' },
  { route: '/api-keys', label: 'API keys', action: 'api_key.list', what: 'API keys', blurb: 'Keys for other systems to call the API.' },
  { route: '/sso', label: 'SSO', action: 'sso.read', what: 'the single sign-on settings', blurb: 'Sign in with your identity provider.' },
  { route: '/settings', label: 'Settings', action: 'org.update_settings', what: 'the organization settings', blurb: 'Name, time zone and branding.' },
  { route: '/audit', label: 'Audit log', action: 'audit.read', what: 'the audit log', blurb: 'Who did what, and when.' },
  { route: '/mailbox', label: 'Dev mailbox', action: 'dev_mailbox.read', what: 'the dev mailbox', blurb: 'E-mails caught by the development transport.' },
];

/// Pages below a screen (not in the navigation). `pattern` has ":name" segments; a page may need
/// a stronger action than its screen. Literal patterns come before parameter ones.
export interface SubScreen {
  pattern: string;
  screen: string;
  action?: Action;
  what?: string;
}

export const ORG_SUBSCREENS: SubScreen[] = [
  { pattern: '/integrations/connect', screen: '/integrations', action: 'ats.connect', what: 'connecting an ATS' },
  { pattern: '/integrations/:connection', screen: '/integrations' },
  { pattern: '/jobs/:job', screen: '/jobs' },
  { pattern: '/jobs/:job/pipeline', screen: '/jobs' },
  { pattern: '/jobs/:job/template', screen: '/jobs', action: 'template.read', what: 'interview templates' },
  { pattern: '/jobs/:job/template/propose', screen: '/jobs', action: 'template.update', what: 'generating an interview template' },
  { pattern: '/library/new', screen: '/library', action: 'content.create', what: 'writing library items' },
  { pattern: '/library/llm-settings', screen: '/library', action: 'org.update_settings', what: 'the LLM settings' },
  { pattern: '/library/:item', screen: '/library' },
  { pattern: '/review/:item', screen: '/review' },
];

export interface ResolvedOrgRoute {
  /** The screen route, or the sub-screen pattern: the key of the page to render. */
  key: string;
  action: Action;
  what: string;
  params: Record<string, string>;
}

/// The org page a route shows, with the action it needs; null when the route is no org page.
export function resolveOrgRoute(route: string): ResolvedOrgRoute | null {
  const screen = ORG_SCREENS.find((s) => s.route === route);
  if (screen) return { key: screen.route, action: screen.action, what: screen.what, params: {} };
  for (const sub of ORG_SUBSCREENS) {
    const params = matchRoute(sub.pattern, route);
    if (!params) continue;
    const parent = ORG_SCREENS.find((s) => s.route === sub.screen)!;
    return { key: sub.pattern, action: sub.action ?? parent.action, what: sub.what ?? parent.what, params };
  }
  return null;
}

/// Pages anyone may see without signing in (no session probe unless a session is likely).
export const PUBLIC_ROUTES = new Set(['/', '/status', '/organizations', '/login', '/signup', '/reset', '/accept-invitation']);
