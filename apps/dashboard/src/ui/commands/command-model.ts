import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { MqttMessage } from '@ot-mqtt/mqtt-client';
import { MqttClientError } from '@ot-mqtt/mqtt-client';
import type { CommandName } from '@ot-mqtt/tag-model';
import type { BrokerConnection } from '../../live/broker-connection.js';
import type { FleetStore } from '../../live/fleet-store.js';

/** Whether this session may command, and why not. */
export interface CommandPermission {
  readonly allowed: boolean;
  readonly reason?: string;
}

/** Broker accounts of the production profile that only read (issue 12's ACL). */
export const READ_ONLY_ACCOUNTS = ['dashboard', 'viewer'];

/** One command the page sent, with the reply it got. */
export interface CommandEntry {
  readonly requestId: string;
  readonly machineId: string;
  readonly command: string;
  readonly fault?: string;
  readonly sentAt: number;
  readonly status: 'sending' | 'sent' | 'accepted' | 'refused' | 'failed' | 'no-reply';
  /** The reply's reason, or why sending failed. */
  readonly reason?: string;
  /** PackML state the reply reports after the command (when the agent publishes PackML). */
  readonly packmlState?: string;
  /** The agent had seen this request id before: answered again, not applied again. */
  readonly duplicate?: boolean;
}

const MAX_ENTRIES = 50;
const REPLY_TIMEOUT_MS = 10_000;
const decoder = new TextDecoder();

/**
 * Sends commands as issue 12 specifies — QoS 1, not retained, with an MQTT 5 response topic and
 * correlation data (the agent answers 3.1.1 clients on `…/command/reply`, which is also where the
 * response topic points, so both paths reach the page) — and keeps each with its reply.
 */
export class CommandModel {
  private readonly entriesSignal = signal<readonly CommandEntry[]>([]);
  private readonly refusedSignal = signal<string | undefined>(undefined);

  constructor(
    private readonly store: FleetStore,
    private readonly broker: () => BrokerConnection | undefined,
    private readonly user: ReadonlySignal<string | undefined>,
  ) {}

  get entries(): ReadonlySignal<readonly CommandEntry[]> {
    return this.entriesSignal;
  }

  /**
   * Mosquitto 2.0 grants a SUBSCRIBE its ACL denies (docs/security.md), so the page cannot ask the
   * broker up front. It offers commands to anonymous development sessions and to accounts not
   * known as read-only, and withdraws them when the broker refuses one (MQTT 5 PUBACK "not
   * authorized"): the account may not command.
   */
  get permission(): ReadonlySignal<CommandPermission> {
    return this.permissionSignal;
  }

  private readonly permissionSignal = computed<CommandPermission>(() => {
    const user = this.user.value;
    if (user !== undefined && READ_ONLY_ACCOUNTS.includes(user)) {
      return {
        allowed: false,
        reason: `Commands are not offered: the broker account "${user}" is read-only (log in with an operator account to command).`,
      };
    }
    const refused = this.refusedSignal.value;
    if (refused)
      return {
        allowed: false,
        reason: `Commands are not offered: the broker refused one for this account (${refused}).`,
      };
    return { allowed: true };
  });

  async send(machineId: string, command: CommandName, fault?: string): Promise<void> {
    const connection = this.broker();
    const requestId = `dash-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const snapshot = this.store.machine(machineId)?.value;
    const base =
      snapshot?.topicHasMachineLevel === false
        ? this.store.topicRoot
        : `${this.store.topicRoot}/${machineId}`;
    this.put({
      requestId,
      machineId,
      command,
      ...(fault ? { fault } : {}),
      sentAt: Date.now(),
      status: 'sending',
    });
    if (!connection) {
      this.patch(requestId, { status: 'failed', reason: 'not connected to the broker' });
      return;
    }
    const payload = JSON.stringify({ command, requestId, ...(fault ? { fault } : {}) });
    try {
      await connection.publish(`${base}/command`, payload, {
        qos: 1,
        properties: {
          responseTopic: `${base}/command/reply`,
          correlationData: new TextEncoder().encode(requestId),
          contentType: 'application/json',
          // A command that waited longer than this (broker queue, agent down) must not move a machine.
          messageExpiryInterval: 30,
        },
      });
      this.patch(requestId, { status: 'sent' }, 'sending');
    } catch (error) {
      this.patch(requestId, { status: 'failed', reason: (error as Error).message });
      if (
        error instanceof MqttClientError &&
        (error.code === 'PUBLISH_REJECTED' || error.code === 'NOT_AUTHORIZED')
      ) {
        this.refusedSignal.value = error.message;
      }
      return;
    }
    setTimeout(
      () =>
        this.patch(
          requestId,
          { status: 'no-reply', reason: `no reply within ${REPLY_TIMEOUT_MS / 1000} s` },
          'sent',
        ),
      REPLY_TIMEOUT_MS,
    );
  }

  /** A message on a `…/command/reply` topic: matched to its command by requestId. */
  onReply(message: MqttMessage): void {
    let reply: unknown;
    try {
      reply = JSON.parse(decoder.decode(message.payload));
    } catch {
      return;
    }
    if (typeof reply !== 'object' || reply === null) return;
    const { requestId, accepted, reason, packml, duplicate } = reply as Record<string, unknown>;
    if (typeof requestId !== 'string' || typeof accepted !== 'boolean') return;
    const packmlState =
      typeof packml === 'object' && packml !== null
        ? (packml as Record<string, unknown>).state
        : undefined;
    this.patch(requestId, {
      status: accepted ? 'accepted' : 'refused',
      ...(typeof reason === 'string' ? { reason: reason.slice(0, 300) } : {}),
      ...(typeof packmlState === 'string' ? { packmlState: packmlState.slice(0, 40) } : {}),
      ...(duplicate === true ? { duplicate: true } : {}),
    });
  }

  private put(entry: CommandEntry): void {
    this.entriesSignal.value = [entry, ...this.entriesSignal.value].slice(0, MAX_ENTRIES);
  }

  private patch(
    requestId: string,
    change: Partial<CommandEntry>,
    onlyIf?: CommandEntry['status'],
  ): void {
    this.entriesSignal.value = this.entriesSignal.value.map((entry) =>
      entry.requestId === requestId && (onlyIf === undefined || entry.status === onlyIf)
        ? { ...entry, ...change }
        : entry,
    );
  }
}
