import { fireEvent, screen, act } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { toHref, toRoute } from '../src/lib/router';
import { READY, jsonResponse, mockFetch, renderAt } from './helpers';

describe('app shell and navigation', () => {
  it('renders the shell with product name and navigation', () => {
    renderAt('/app/');
    expect(screen.getByRole('banner').textContent).toContain('hirewire');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(nav.textContent).toContain('Status');
    expect(nav.textContent).toContain('Organizations');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Welcome to hirewire');
  });

  it('navigates client-side under /app/ and marks the current link', async () => {
    mockFetch(jsonResponse(200, READY));
    renderAt('/app/');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const statusLink = screen.getAllByRole('link', { name: 'Status' })[0];
    expect(statusLink.getAttribute('href')).toBe('/app/status');

    fireEvent.click(statusLink);
    expect(window.location.pathname).toBe('/app/status');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Status');
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toBe('Status');
    expect(await screen.findByText('All systems ready')).toBeTruthy();

    fireEvent.click(screen.getByRole('link', { name: 'Organizations' }));
    expect(window.location.pathname).toBe('/app/organizations');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Organizations');
  });

  it('follows the browser back button', () => {
    renderAt('/app/organizations');
    window.history.pushState(null, '', '/app/');
    act(() => {
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Welcome to hirewire');
  });

  it('shows a not-found page for unknown routes', () => {
    renderAt('/app/nope');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Page not found');
    expect(screen.getByText('/nope')).toBeTruthy();
  });

  it('maps between browser paths and routes', () => {
    expect(toRoute('/app/')).toBe('/');
    expect(toRoute('/app')).toBe('/');
    expect(toRoute('/app/status/')).toBe('/status');
    expect(toHref('/')).toBe('/app/');
    expect(toHref('/status')).toBe('/app/status');
  });
});
