import type { Action } from './permissions';

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
  { route: '/members', label: 'Members', action: 'member.list', what: 'the member list', blurb: 'People in the organization and their roles.' },
  { route: '/invitations', label: 'Invitations', action: 'member.invite', what: 'teammate invitations', blurb: 'Invite teammates; resend or revoke invitations.' },
  { route: '/api-keys', label: 'API keys', action: 'api_key.list', what: 'API keys', blurb: 'Keys for other systems to call the API.' },
  { route: '/sso', label: 'SSO', action: 'sso.read', what: 'the single sign-on settings', blurb: 'Sign in with your identity provider.' },
  { route: '/settings', label: 'Settings', action: 'org.update_settings', what: 'the organization settings', blurb: 'Name, time zone and branding.' },
  { route: '/audit', label: 'Audit log', action: 'audit.read', what: 'the audit log', blurb: 'Who did what, and when.' },
  { route: '/mailbox', label: 'Dev mailbox', action: 'dev_mailbox.read', what: 'the dev mailbox', blurb: 'E-mails caught by the development transport.' },
];

/// Pages anyone may see without signing in (no session probe unless a session is likely).
export const PUBLIC_ROUTES = new Set(['/', '/status', '/organizations', '/login', '/signup', '/reset', '/accept-invitation']);
