/**
 * The PIN screen in web mode with what SoftHSM alone lacks, from the card shim (tests/helpers/pkcs11-card-shim):
 * a reader with a PIN pad (change on the reader's keypad, with no field on screen; Cancel on the reader), and
 * a card locked by three wrong PINs typed in the change form, then unblocked with the PUK.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../src-shared/i18n/messages/en.js';
import { artifactsDir } from '../helpers/e2e/browser.js';
import { usePinScreen } from '../helpers/e2e/pin-screen.js';
import { createCardShim } from '../helpers/pkcs11-card-shim/card-shim.js';

describe('PIN pad and a card locked by wrong PINs, in web mode', () => {
  const pin = usePinScreen((hsm) => {
    const pad = hsm.createToken({ label: 'Tipkovnica', pin: '20252025', soPin: '90909090' });
    hsm.createToken({ label: 'Trikrat narobe', pin: '12341234', soPin: '56785678' });
    return createCardShim(hsm, { pinPad: [pad.serial] });
  });

  it('on a PIN-pad reader, offers the change on the reader’s keypad with no PIN field on screen', async () => {
    await pin.screen.chooseCard('Tipkovnica');
    await pin.page.getByTestId('pin-pad-change').waitFor({ timeout: 20_000 });
    expect(await pin.page.getByTestId('pin-state').innerText()).toContain('This reader has a PIN pad');
    expect(await pin.page.locator('input[type=password]').count()).toBe(0);
  });

  it('while the reader waits, says what to type there; the holder types the current PIN and the new one', async () => {
    const button = pin.page.getByRole('button', { name: "Change the PIN on the reader's keypad" });
    await button.click();
    const status = pin.page.getByTestId('pin-pad-status');
    await status.waitFor({ timeout: 20_000 });
    expect(await status.innerText()).toBe("Type the current PIN on the reader, then the new PIN twice, confirming each on the reader. To stop, press the reader's Cancel key.");
    expect(await button.isDisabled()).toBe(true);
    // Nothing may hide the waiting call's outcome meanwhile.
    expect(await pin.page.getByLabel('Card').isDisabled()).toBe(true);
    expect(await pin.page.getByRole('button', { name: 'Type the PINs on this screen instead' }).isDisabled()).toBe(true);
    await pin.page.screenshot({ path: join(artifactsDir, 'pin-pad-waiting-en.png'), fullPage: true });
    pin.shim.typeOnPad('20252025', '70707070');
    await expect.poll(() => pin.screen.outcome().innerText(), { timeout: 20_000 }).toBe('The PIN was changed. Use the new PIN from now on.');
    expect(await button.isDisabled()).toBe(false);
    expect(await pin.page.getByLabel('Card').isDisabled()).toBe(false);
    expect(pin.screen.loginWorks('Tipkovnica', '70707070')).toBe(true);
  });

  it('Cancel on the reader: the screen says so and nothing changed', async () => {
    await pin.page.getByRole('button', { name: "Change the PIN on the reader's keypad" }).click();
    await pin.page.getByTestId('pin-pad-status').waitFor({ timeout: 20_000 });
    pin.shim.typeOnPad('CANCEL');
    await expect.poll(() => pin.screen.outcome().innerText(), { timeout: 20_000 }).toBe('The entry was cancelled on the reader. Nothing was changed.');
    expect(pin.screen.loginWorks('Tipkovnica', '70707070')).toBe(true);
  });

  it('three wrong current PINs typed in the change form lock the card; the screen shows the countdown and the lock', async () => {
    await pin.screen.chooseCard('Trikrat narobe');
    const form = pin.page.getByTestId('pin-form-change');
    await form.getByLabel('Current PIN').waitFor({ timeout: 20_000 });
    const codes: Array<string | null> = [];
    for (const wrong of ['11110000', '22220000', '33330000']) {
      await form.getByLabel('Current PIN').fill(wrong);
      await form.getByLabel('New PIN', { exact: true }).fill('43214321');
      await form.getByLabel('New PIN again').fill('43214321');
      await form.getByRole('button', { name: 'Save the new PIN' }).click();
      await expect.poll(() => form.getByLabel('Current PIN').inputValue(), { timeout: 20_000 }).toBe('');
      codes.push(await pin.screen.outcome().locator('[data-code]').getAttribute('data-code'));
      if (codes.length === 2) await expect.poll(() => pin.page.getByTestId('pin-state').innerText(), { timeout: 20_000 }).toContain(en.token.pinFinalTry);
    }
    expect(codes).toEqual(['TOKEN_PIN_INCORRECT', 'TOKEN_PIN_INCORRECT', 'TOKEN_PIN_LOCKED']);
    await expect.poll(() => pin.page.getByTestId('pin-state').getAttribute('data-locked'), { timeout: 20_000 }).toBe('true');
    expect(await pin.page.getByRole('group', { name: 'PIN and PUK' }).getByRole('button', { name: 'Change the PIN' }).isDisabled()).toBe(true);
    expect(pin.screen.loginWorks('Trikrat narobe', '12341234')).toBe(false);
  });

  it('unblocks the locked card with the PUK; the new PIN works in pkcs11-tool', async () => {
    await pin.page.getByRole('group', { name: 'PIN and PUK' }).getByRole('button', { name: 'Unblock with the PUK' }).click();
    const form = pin.page.getByTestId('pin-form-unblock');
    await form.getByLabel('PUK code').fill('56785678');
    await form.getByLabel('New PIN', { exact: true }).fill('86758675');
    await form.getByLabel('New PIN again').fill('86758675');
    await form.getByRole('button', { name: 'Unblock and save the new PIN' }).click();
    await expect.poll(() => pin.screen.outcome().innerText(), { timeout: 20_000 }).toBe('The PIN is unblocked and set to the new PIN.');
    expect(await pin.page.getByTestId('pin-state').getAttribute('data-locked')).toBe('false');
    expect(pin.screen.loginWorks('Trikrat narobe', '86758675')).toBe(true);
  });

  it('never lets a PIN reach the web-mode output (logs)', () => {
    for (const secret of ['20252025', '70707070', '11110000', '22220000', '33330000', '56785678', '86758675']) expect(pin.screen.web.output()).not.toContain(secret);
  });
});
