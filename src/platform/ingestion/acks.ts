import type { MqttClient } from 'mqtt';

type AckSender = (packet: unknown, cb?: () => void) => void;

/**
 * mqtt.js sends a QoS 1 PUBACK as soon as the message handler returns, and handles incoming packets
 * one at a time, so waiting inside the handler would write one message per transaction. Instead the
 * PUBACK is taken aside here (mqtt.js 5 sends it through `_sendPacket`) and sent by the worker once
 * the message's batch is committed: an acknowledged reading is a stored one. The crash test in
 * ingest.test.ts fails if a new mqtt.js stops routing PUBACKs this way.
 */
export function holdAcks(client: MqttClient, hold: (packet: unknown) => void) {
  const c = client as unknown as { _sendPacket: AckSender; _sendPacketNow?: AckSender };
  const send = c._sendPacket.bind(client);
  c._sendPacketNow = send;
  c._sendPacket = (packet, cb) => {
    if ((packet as { cmd?: string }).cmd === 'puback') {
      hold(packet);
      cb?.();
      return;
    }
    send(packet, cb);
  };
}

export function sendAck(client: MqttClient, packet: unknown) {
  (client as unknown as { _sendPacketNow: AckSender })._sendPacketNow(packet);
}

/**
 * Flow control for a broker without MQTT 5 receive-maximum (Aedes speaks 3.1.1): mqtt.js takes the
 * next packet off the socket only after `handleMessage` calls back, so holding that callback while
 * the worker's queue is full stops reading. The socket's buffers fill, Aedes waits for `drain`
 * before delivering more, and its publishers' packets wait in turn.
 */
export function gateMessages(client: MqttClient, isFull: () => boolean, hold: (resume: () => void) => void) {
  client.handleMessage = (_packet, callback) => {
    if (isFull()) hold(() => callback());
    else callback();
  };
}
