import { expect, test } from '@playwright/test';
import { platform } from './support/platform';

/** Pages load and run under the console's Content-Security-Policy, and both servers send the security headers. */
test('the console runs under its security headers, with no CSP violation', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  const response = await page.goto('/');
  expect(response).not.toBeNull();
  const headers = response?.headers() ?? {};
  expect(headers['x-powered-by']).toBeUndefined();
  expect(headers).toMatchObject({ 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' });
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  // The page hydrated (its live counts come from client-side polling), so its scripts ran under the policy.
  await expect(page.getByTestId('count-models')).toBeVisible({ timeout: 60_000 });
  await page.goto('/models');
  await page.waitForLoadState('networkidle');
  expect(violations).toEqual([]);
});

test('the API answers only the console origin for CORS, without X-Powered-By', async ({ request }) => {
  const fromConsole = await request.get(`${platform.apiUrl}/health`, { headers: { origin: platform.consoleUrl } });
  expect(fromConsole.headers()['access-control-allow-origin']).toBe(platform.consoleUrl);
  expect(fromConsole.headers()['x-powered-by']).toBeUndefined();
  expect(fromConsole.headers()['x-content-type-options']).toBe('nosniff');
  const elsewhere = await request.get(`${platform.apiUrl}/health`, { headers: { origin: 'https://elsewhere.example' } });
  expect(elsewhere.headers()['access-control-allow-origin']).toBeUndefined();
});
