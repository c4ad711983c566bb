/**
 * PIN change and PUK unblock end to end in web mode on SoftHSM, checked with pkcs11-tool. SoftHSM2 never
 * locks a PIN by itself (no retry counter), so the tokens sit behind the card shim
 * (tests/helpers/pkcs11-card-shim), and the second card is locked by three wrong PINs before the app starts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifactsDir } from '../helpers/e2e/browser.js';
import { usePinScreen } from '../helpers/e2e/pin-screen.js';
import { createCardShim } from '../helpers/pkcs11-card-shim/card-shim.js';

describe('PIN and PUK screens in web mode', () => {
  const pin = usePinScreen((hsm) => {
    hsm.createToken({ label: 'PIN kartica', pin: '11223344', soPin: '87654321' });
    const locked = hsm.createToken({ label: 'Zaklenjena', pin: '13571357', soPin: '24682468' });
    const shim = createCardShim(hsm);
    shim.lockWithWrongPins(locked);
    return shim;
  });

  it('shows the PIN state and the card’s length rule before anything is typed', async () => {
    // The locked card first: moving on to a card whose PIN works must offer the change again
    // (it stayed on "unblock" whenever SoftHSM happened to list the locked card first).
    await pin.screen.chooseCard('Zaklenjena');
    await expect.poll(() => pin.page.getByTestId('pin-state').innerText(), { timeout: 20_000 }).toMatch(/locked/i);
    await pin.screen.chooseCard('PIN kartica');
    await pin.page.getByTestId('pin-form-change').getByLabel('Current PIN').waitFor({ timeout: 20_000 });
    await expect.poll(() => pin.page.getByTestId('pin-state').innerText(), { timeout: 20_000 }).toContain('The PIN is not locked.');
    expect(await pin.page.getByTestId('pin-state').innerText()).toContain('The PIN of this card has 4 to 255 characters.');
    // Every button on the screen has a name of its own: the tool chooser's "Change the PIN" is not also the submit's name.
    const names = await pin.page.locator('main button:visible').allInnerTexts();
    expect(names.length).toBeGreaterThan(3);
    expect(new Set(names).size, names.join(' | ')).toBe(names.length);
  });

  it('refuses two different new PINs without asking the card', async () => {
    const form = pin.page.getByTestId('pin-form-change');
    await form.getByLabel('Current PIN').fill('11223344');
    await form.getByLabel('New PIN', { exact: true }).fill('55667788');
    await form.getByLabel('New PIN again').fill('55667789');
    await form.getByRole('button', { name: 'Save the new PIN' }).click();
    expect(await pin.screen.outcome().innerText()).toBe('The two new PINs are not the same. Type them again.');
    expect(pin.screen.loginWorks('PIN kartica', '11223344')).toBe(true);
  });

  it('a wrong current PIN is refused with the card’s answer', async () => {
    const form = pin.page.getByTestId('pin-form-change');
    await form.getByLabel('Current PIN').fill('99990000');
    await form.getByLabel('New PIN', { exact: true }).fill('55667788');
    await form.getByLabel('New PIN again').fill('55667788');
    await form.getByRole('button', { name: 'Save the new PIN' }).click();
    await expect.poll(() => pin.screen.outcome().locator('[data-code]').getAttribute('data-code'), { timeout: 20_000 }).toBe('TOKEN_PIN_INCORRECT');
    expect(await pin.screen.outcome().innerText()).toContain('The PIN is not correct.');
    // The fields are emptied after every attempt.
    expect(await form.getByLabel('Current PIN').inputValue()).toBe('');
  });

  it('changes the PIN: pkcs11-tool logs in with the new one, not the old one', async () => {
    const form = pin.page.getByTestId('pin-form-change');
    await form.getByLabel('Current PIN').fill('11223344');
    await form.getByLabel('New PIN', { exact: true }).fill('55667788');
    await form.getByLabel('New PIN again').fill('55667788');
    await form.getByRole('button', { name: 'Save the new PIN' }).click();
    await expect.poll(() => pin.screen.outcome().innerText(), { timeout: 20_000 }).toBe('The PIN was changed. Use the new PIN from now on.');
    expect(pin.screen.loginWorks('PIN kartica', '55667788')).toBe(true);
    expect(pin.screen.loginWorks('PIN kartica', '11223344')).toBe(false);
  });

  it('a locked card offers only the unblock; a wrong PUK is refused, the right one sets the new PIN', async () => {
    await pin.screen.chooseCard('Zaklenjena');
    await expect.poll(() => pin.page.getByTestId('pin-state').getAttribute('data-locked'), { timeout: 20_000 }).toBe('true');
    expect(await pin.page.getByTestId('pin-state').innerText()).toContain('The PIN of this card is locked.');
    expect(await pin.page.getByRole('button', { name: 'Change the PIN' }).isDisabled()).toBe(true);
    const form = pin.page.getByTestId('pin-form-unblock');
    await form.getByLabel('PUK code').fill('11111111');
    await form.getByLabel('New PIN', { exact: true }).fill('80808080');
    await form.getByLabel('New PIN again').fill('80808080');
    await form.getByRole('button', { name: 'Unblock and save the new PIN' }).click();
    await expect.poll(() => pin.screen.outcome().locator('[data-code]').getAttribute('data-code'), { timeout: 20_000 }).toBe('TOKEN_PUK_INCORRECT');
    await pin.page.screenshot({ path: join(artifactsDir, 'pin-unblock-en.png'), fullPage: true });

    await form.getByLabel('PUK code').fill('24682468');
    await form.getByLabel('New PIN', { exact: true }).fill('80808080');
    await form.getByLabel('New PIN again').fill('80808080');
    await form.getByRole('button', { name: 'Unblock and save the new PIN' }).click();
    await expect.poll(() => pin.screen.outcome().innerText(), { timeout: 20_000 }).toBe('The PIN is unblocked and set to the new PIN.');
    expect(await pin.page.getByTestId('pin-state').getAttribute('data-locked')).toBe('false');
    expect(pin.screen.loginWorks('Zaklenjena', '80808080')).toBe(true);
    expect(pin.shim.pkcs11Tool(['-T'])).not.toMatch(/user PIN locked/);
  });

  it('never lets a PIN reach the web-mode output (logs)', () => {
    for (const secret of ['11223344', '55667788', '99990000', '24682468', '80808080', '11111111']) expect(pin.screen.web.output()).not.toContain(secret);
  });
});
