// The provider's side of a partner sign-in in the browser suites (oidc_provider.mjs's
// development login, which accepts any account name): through its pages (login, then consent)
// until the browser is back at BASE.
export async function throughProvider(page, base, login) {
  for (let step = 0; step < 6; step++) {
    await page.waitForLoadState('load');
    if (page.url().startsWith(base)) return;
    const before = page.url();
    if (await page.locator('input[name="login"]').count()) {
      await page.fill('input[name="login"]', login);
      await page.fill('input[name="password"]', 'any-password');
    }
    await page.locator('button[type="submit"]').first().click();
    await page.waitForURL((u) => u.toString() !== before, { timeout: 15000 });
  }
  throw new Error(`stuck at the provider: ${page.url()}`);
}
