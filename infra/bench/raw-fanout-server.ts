/**
 * The socket-fanout bench's yardstick: a bare socket.io server (websocket only, in-memory adapter), run as
 * a child process of the bench so that its memory is its own. Sockets `watch` SKUs into `product:<sku>`
 * rooms, as on bff-web. Driven over IPC:
 *
 *   → { emit: { sku, available } }  emits `stock:changed` to the SKU's room
 *   → { memory: true }              ← { memory: { rss, heapUsed, sockets } } (bytes)
 *   ← { port } once listening on 127.0.0.1 (a free port)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { transports: ['websocket'], serveClient: false });
io.on('connection', (socket) => {
  socket.on('watch', (skus: string[], ack?: (answer: unknown) => void) => {
    void socket.join(skus.map((sku) => `product:${sku}`));
    ack?.({ watching: skus.length });
  });
});

process.on('message', (message: { emit?: { sku: string; available: number }; memory?: true }) => {
  if (message.emit) {
    const { sku, available } = message.emit;
    io.to(`product:${sku}`).emit('stock:changed', { sku, available, status: 'in_stock', version: available });
  }
  if (message.memory) {
    const { rss, heapUsed } = process.memoryUsage();
    process.send!({ memory: { rss, heapUsed, sockets: io.of('/').sockets.size } });
  }
});
process.on('disconnect', () => process.exit(0)); // the bench ended, however it ended

http.listen(0, '127.0.0.1', () => process.send!({ port: (http.address() as AddressInfo).port }));
