/**
 * A virtual Java Card running the IsoApplet (API 0.6, the version OpenSC 0.23's `isoApplet` driver
 * expects), answering command APDUs the way IsoApplet.java does: applet SELECT with the API version and
 * feature byte, the file system (file-system.ts), PIN (3 tries) and PUK (16 bytes, 5 tries) with real
 * decrements, MSE SET, key generation and signing (key-store.ts), GET CHALLENGE, command chaining
 * (CLA bit 0x10) and GET RESPONSE for answers longer than Le.
 *
 * Test knobs: `limitBytes` makes the card refuse new files and keys beyond that much EEPROM (6A84).
 */
import { randomBytes } from 'node:crypto';
import { CardStatus, type CommandApdu, fail, findTag, parseCommand, SW, withStatus } from './apdu.js';
import { type FileSystemState, IsoFileSystem } from './file-system.js';
import { ALG, KEY_COST, KEY_MAX_COUNT, KeyStore, type KeyStoreState } from './key-store.js';

export const ISOAPPLET_ATR = Buffer.from('3b80800101', 'hex');
export const ISOAPPLET_AID = Buffer.from('f276a288bcfba69d34f31001', 'hex');
const API_VERSION = [0x00, 0x06];
const FEATURES = { EXT_APDU: 0x01, SECURE_RANDOM: 0x02, ECC: 0x04 };

const PIN_MAX_TRIES = 3;
const PIN_MIN_LENGTH = 4;
const PIN_MAX_LENGTH = 16;
const PUK_MAX_TRIES = 5;
const PUK_LENGTH = 16;

/** Applet life cycle: PUK may be set, then the PIN; after that data is protected. */
type LifeCycle = 'creation' | 'initialisation' | 'operational';

interface Secret {
  value: string; // hex, padded with 00 to its maximum length
  tries: number;
}

export interface CardState {
  lifeCycle: LifeCycle;
  pin: Secret | null;
  puk: Secret | null;
  fs: FileSystemState;
  keys: KeyStoreState;
  limitBytes: number | null;
}

export interface CardOptions {
  /** Use extended APDUs (feature bit 0x01); otherwise the host chains commands and fetches with GET RESPONSE. */
  extendedApdus?: boolean;
}

function padded(bytes: Buffer, length: number): string {
  const out = Buffer.alloc(length);
  bytes.copy(out, 0, 0, Math.min(bytes.length, length));
  return out.toString('hex');
}

export class IsoAppletCard {
  private lifeCycle: LifeCycle;
  private pin: Secret | null;
  private puk: Secret | null;
  private readonly fs: IsoFileSystem;
  private readonly keys: KeyStore;
  limitBytes: number | null;
  private pinValidated = false;
  private selected = false;
  private env: { alg: number; keyRef: number } | null = null;
  private chain: { ins: number; p1p2: number; parts: Buffer[] } | null = null;
  private pendingResponse: Buffer | null = null;
  private readonly features: number;

  constructor(state?: CardState, options: CardOptions = {}) {
    this.lifeCycle = state?.lifeCycle ?? 'creation';
    this.pin = state?.pin ?? null;
    this.puk = state?.puk ?? null;
    this.fs = new IsoFileSystem(state?.fs);
    this.keys = new KeyStore(state?.keys);
    this.limitBytes = state?.limitBytes ?? null;
    this.features = FEATURES.SECURE_RANDOM | FEATURES.ECC | (options.extendedApdus === false ? 0 : FEATURES.EXT_APDU);
  }

  toJSON(): CardState {
    return { lifeCycle: this.lifeCycle, pin: this.pin, puk: this.puk, fs: this.fs.toJSON(), keys: this.keys.toJSON(), limitBytes: this.limitBytes };
  }

  usedBytes(): number {
    return this.fs.usedBytes() + this.keys.usedBytes();
  }

  /** Tries left, for tests that check the card itself (not what the middleware reports). */
  tries(): { pin: number | null; puk: number | null } {
    return { pin: this.pin?.tries ?? null, puk: this.puk?.tries ?? null };
  }

  /** Power on / reset: the applet is not selected, security state is gone. */
  reset(): void {
    this.selected = false;
    this.deselect();
  }

  private deselect(): void {
    this.pinValidated = false;
    this.fs.userAuthenticated = false;
    this.env = null;
    this.chain = null;
    this.pendingResponse = null;
  }

  private mayAllocate = (bytes: number): boolean => this.limitBytes === null || this.usedBytes() + bytes <= this.limitBytes;

  /** One command APDU in, one response APDU (data + SW) out; never throws. */
  transmit(bytes: Buffer): Buffer {
    try {
      const apdu = parseCommand(bytes);
      return this.respond(apdu, this.process(apdu));
    } catch (error) {
      if (error instanceof CardStatus) return withStatus(Buffer.alloc(0), error.sw);
      return withStatus(Buffer.alloc(0), SW.UNKNOWN);
    }
  }

  /** Sends what fits in Le; the rest waits for GET RESPONSE (61xx), as sendLargeData does. */
  private respond(apdu: CommandApdu, data: Buffer): Buffer {
    const room = apdu.le === 0 ? (apdu.extended ? 65536 : 256) : apdu.le;
    if (data.length <= room) return withStatus(data, SW.OK);
    this.pendingResponse = data.subarray(room);
    return withStatus(data.subarray(0, room), 0x6100 | Math.min(this.pendingResponse.length, 256) % 256);
  }

  private process(apdu: CommandApdu): Buffer {
    if (apdu.ins === 0xc0) return this.getResponse();
    this.pendingResponse = null;
    if (apdu.ins === 0xa4 && apdu.p1 === 0x04 && apdu.data.equals(ISOAPPLET_AID)) return this.selectApplet();
    if (!this.selected) fail(SW.FILE_NOT_FOUND);
    if ((apdu.cla & 0x0c) !== 0) fail(0x6882); // secure messaging
    if ((apdu.cla & ~0x10 & 0xff) !== 0x00) fail(SW.CLA_NOT_SUPPORTED);
    const whole = this.unchain(apdu);
    if (!whole) return Buffer.alloc(0);
    switch (whole.ins) {
      case 0xa4:
        return this.fs.select(whole);
      case 0xb0:
        return this.fs.readBinary(whole);
      case 0xd6:
        this.fs.updateBinary(whole);
        return Buffer.alloc(0);
      case 0xe0:
        this.fs.createFile(whole, this.mayAllocate);
        return Buffer.alloc(0);
      case 0xe4:
        this.fs.deleteFile(whole);
        return Buffer.alloc(0);
      case 0x20:
        return this.verify(whole);
      case 0x24:
        return this.changeReferenceData(whole);
      case 0x2c:
        return this.resetRetryCounter(whole);
      case 0x22:
        return this.manageSecurityEnvironment(whole);
      case 0x46:
        return this.generateKeyPair(whole);
      case 0x2a:
        return this.performSecurityOperation(whole);
      case 0x84:
        if (whole.p1 !== 0 || whole.p2 !== 0) fail(SW.INCORRECT_P1P2);
        return randomBytes(whole.le || 8);
      case 0xca:
        if (whole.p1 !== 0x01 || whole.p2 !== 0x01) fail(SW.INCORRECT_P1P2);
        return Buffer.from([...API_VERSION, this.features]);
      case 0xdb:
        // PUT DATA (key import): DEF_PRIVATE_KEY_IMPORT_ALLOWED = false, keys are only made on the card.
        return fail(this.pinValidated ? SW.COMMAND_NOT_ALLOWED_GENERAL : SW.SECURITY_STATUS_NOT_SATISFIED);
      default:
        fail(SW.INS_NOT_SUPPORTED);
    }
  }

  private selectApplet(): Buffer {
    this.deselect();
    this.selected = true;
    this.fs.resetSelection();
    // Before a PIN exists, nothing is protected (IsoApplet.select()).
    this.fs.userAuthenticated = this.lifeCycle !== 'operational';
    return Buffer.from([...API_VERSION, this.features]);
  }

  /** Collects a command chain (CLA bit 0x10) into one command; null while the chain goes on. */
  private unchain(apdu: CommandApdu): CommandApdu | null {
    const chained = (apdu.cla & 0x10) !== 0;
    const p1p2 = (apdu.p1 << 8) | apdu.p2;
    if (this.chain && (this.chain.ins !== apdu.ins || this.chain.p1p2 !== p1p2)) {
      this.chain = null;
      fail(SW.COMMAND_NOT_ALLOWED_GENERAL);
    }
    if (chained) {
      this.chain ??= { ins: apdu.ins, p1p2, parts: [] };
      this.chain.parts.push(apdu.data);
      return null;
    }
    if (!this.chain) return apdu;
    const data = Buffer.concat([...this.chain.parts, apdu.data]);
    this.chain = null;
    return { ...apdu, data };
  }

  /** GET RESPONSE: the rest of the last answer; respond() cuts it at Le again. */
  private getResponse(): Buffer {
    const pending = this.pendingResponse;
    if (!pending || pending.length === 0) fail(SW.CONDITIONS_NOT_SATISFIED);
    this.pendingResponse = null;
    return pending;
  }

  private checkSecret(secret: Secret, given: Buffer, length: number): boolean {
    if (secret.tries === 0) return false;
    secret.tries -= 1;
    if (padded(given, length) !== secret.value) return false;
    return true;
  }

  private verify(apdu: CommandApdu): Buffer {
    if (apdu.p1 !== 0x00 || apdu.p2 !== 0x01) fail(SW.INCORRECT_P1P2);
    const lc = apdu.data.length;
    if ((lc > 0 && lc < PIN_MIN_LENGTH) || lc > PIN_MAX_LENGTH) fail(SW.WRONG_LENGTH);
    if (lc === 0) {
      // "Is verification needed?": tries left once a PIN exists (63Cx), plain success before.
      if (this.lifeCycle === 'operational' && this.pin) fail(SW.PIN_TRIES_REMAINING | this.pin.tries);
      return Buffer.alloc(0);
    }
    if (!this.pin) fail(SW.CONDITIONS_NOT_SATISFIED);
    if (!this.checkSecret(this.pin, apdu.data, PIN_MAX_LENGTH)) {
      this.pinValidated = false;
      this.fs.userAuthenticated = false;
      fail(SW.PIN_TRIES_REMAINING | this.pin.tries);
    }
    this.pin.tries = PIN_MAX_TRIES;
    this.pinValidated = true;
    this.fs.userAuthenticated = true;
    return Buffer.alloc(0);
  }

  private changeReferenceData(apdu: CommandApdu): Buffer {
    const { p1, p2, data } = apdu;
    const newPin = (): Secret => {
      if (data.length > PIN_MAX_LENGTH || data.length < PIN_MIN_LENGTH) fail(SW.WRONG_LENGTH);
      return { value: padded(data, PIN_MAX_LENGTH), tries: PIN_MAX_TRIES };
    };
    if (this.lifeCycle === 'creation') {
      if (p1 !== 0x01 || (p2 !== 0x01 && p2 !== 0x02)) fail(SW.INCORRECT_P1P2);
      if (p2 === 0x02) {
        if (data.length !== PUK_LENGTH) fail(SW.WRONG_LENGTH);
        this.puk = { value: padded(data, PUK_LENGTH), tries: PUK_MAX_TRIES };
        this.lifeCycle = 'initialisation';
      } else {
        this.pin = newPin();
        this.lifeCycle = 'operational';
      }
      return Buffer.alloc(0);
    }
    if (this.lifeCycle === 'initialisation') {
      if (p1 !== 0x01 || p2 !== 0x01) fail(SW.INCORRECT_P1P2);
      this.pin = newPin();
      this.lifeCycle = 'operational';
      return Buffer.alloc(0);
    }
    // Change: old and new PIN, both padded to 16 bytes.
    if (p1 !== 0x00 || p2 !== 0x01) fail(SW.INCORRECT_P1P2);
    if (data.length !== 2 * PIN_MAX_LENGTH) fail(SW.WRONG_LENGTH);
    if (!this.checkSecret(this.pin!, data.subarray(0, PIN_MAX_LENGTH), PIN_MAX_LENGTH)) fail(SW.PIN_TRIES_REMAINING | this.pin!.tries);
    this.pin = { value: padded(data.subarray(PIN_MAX_LENGTH), PIN_MAX_LENGTH), tries: PIN_MAX_TRIES };
    this.pinValidated = false;
    return Buffer.alloc(0);
  }

  private resetRetryCounter(apdu: CommandApdu): Buffer {
    if (this.lifeCycle !== 'operational') fail(SW.COMMAND_NOT_ALLOWED);
    const { data } = apdu;
    if (data.length < PUK_LENGTH + PIN_MIN_LENGTH || data.length > PUK_LENGTH + PIN_MAX_LENGTH) fail(SW.WRONG_LENGTH);
    if (apdu.p1 !== 0x00 || apdu.p2 !== 0x01) fail(SW.INCORRECT_P1P2);
    if (!this.puk) fail(SW.PIN_TRIES_REMAINING);
    if (!this.checkSecret(this.puk, data.subarray(0, PUK_LENGTH), PUK_LENGTH)) fail(SW.PIN_TRIES_REMAINING | this.puk.tries);
    this.puk.tries = PUK_MAX_TRIES;
    this.pin = { value: padded(data.subarray(PUK_LENGTH), PIN_MAX_LENGTH), tries: PIN_MAX_TRIES };
    this.pinValidated = false;
    return Buffer.alloc(0);
  }

  private manageSecurityEnvironment(apdu: CommandApdu): Buffer {
    if (!this.pinValidated) fail(SW.SECURITY_STATUS_NOT_SATISFIED);
    if (apdu.p1 === 0xf3) {
      this.env = null;
      return Buffer.alloc(0);
    }
    if (apdu.p1 !== 0x41) fail(SW.FUNC_NOT_SUPPORTED);
    const alg = findTag(apdu.data, 0x80);
    const ref = findTag(apdu.data, 0x84);
    if (!alg || alg.length !== 1 || !ref || ref.length !== 1 || ref[0]! >= KEY_MAX_COUNT) fail(SW.DATA_INVALID);
    const [algRef, keyRef] = [alg[0]!, ref[0]!];
    if (apdu.p2 === 0x00) {
      if (algRef !== ALG.GEN_EC && algRef !== ALG.GEN_RSA_2048) fail(SW.FUNC_NOT_SUPPORTED);
    } else if (apdu.p2 === 0xb6) {
      if (algRef === ALG.RSA_PAD_PKCS1 && this.keys.kindAt(keyRef) !== 'rsa') fail(SW.DATA_INVALID);
      else if (algRef === ALG.ECDSA_SHA1 && this.keys.kindAt(keyRef) !== 'ec') fail(SW.DATA_INVALID);
      else if (algRef !== ALG.RSA_PAD_PKCS1 && algRef !== ALG.ECDSA_SHA1) fail(SW.FUNC_NOT_SUPPORTED);
    } else if (apdu.p2 === 0xb8) {
      if (algRef !== ALG.RSA_PAD_PKCS1) fail(SW.FUNC_NOT_SUPPORTED);
      if (this.keys.kindAt(keyRef) !== 'rsa') fail(SW.DATA_INVALID);
    } else {
      fail(SW.FUNC_NOT_SUPPORTED);
    }
    this.env = { alg: algRef, keyRef };
    return Buffer.alloc(0);
  }

  private generateKeyPair(apdu: CommandApdu): Buffer {
    if (!this.pinValidated) fail(SW.SECURITY_STATUS_NOT_SATISFIED);
    const env = this.env ?? fail(SW.CONDITIONS_NOT_SATISFIED);
    const kind = env.alg === ALG.GEN_RSA_2048 ? 'rsa' : env.alg === ALG.GEN_EC ? 'ec' : fail(SW.CONDITIONS_NOT_SATISFIED);
    // Replacing a key frees its old room first.
    const previous = this.keys.kindAt(env.keyRef);
    const extra = KEY_COST[kind] - (previous ? KEY_COST[previous] : 0);
    if (extra > 0 && !this.mayAllocate(extra)) fail(SW.FILE_FULL);
    if (kind === 'rsa') {
      if (apdu.p1 !== 0x42 || apdu.p2 !== 0x00) fail(SW.INCORRECT_P1P2);
      return this.keys.generateRsa(env.keyRef);
    }
    if (apdu.p1 !== 0x00 || apdu.p2 !== 0x00) fail(SW.INCORRECT_P1P2);
    return this.keys.generateEc(env.keyRef, apdu.data);
  }

  private performSecurityOperation(apdu: CommandApdu): Buffer {
    if (!this.pinValidated) fail(SW.SECURITY_STATUS_NOT_SATISFIED);
    const env = this.env ?? fail(SW.CONDITIONS_NOT_SATISFIED);
    if (apdu.p1 === 0x9e && apdu.p2 === 0x9a) {
      if (env.alg === ALG.RSA_PAD_PKCS1) return this.keys.signRsaPkcs1(env.keyRef, apdu.data);
      if (env.alg === ALG.ECDSA_SHA1) return this.keys.signEcdsaSha1(env.keyRef, apdu.data);
      fail(SW.CONDITIONS_NOT_SATISFIED);
    }
    if (apdu.p1 === 0x80 && apdu.p2 === 0x86) {
      if (env.alg !== ALG.RSA_PAD_PKCS1) fail(SW.FUNC_NOT_SUPPORTED);
      return this.keys.decipherRsaPkcs1(env.keyRef, apdu.data);
    }
    fail(SW.INCORRECT_P1P2);
  }
}
