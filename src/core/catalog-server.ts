import { type Catalog, registerCatalog } from '#shared/i18n.ts';

/** What the server process (`npm start`) tells the operator about itself: its port, its shutdown. */
export const serverCatalog: Catalog = registerCatalog({
  en: {
    'server.portInUse':
      'Cannot listen on {address}:{port}: the port is already in use (another ComfyRelay, or another program). Stop that one, or choose another port (http.port in comfyrelay.config.yaml, or COMFYRELAY_HTTP_PORT).',
    'server.listenFailed': 'Cannot listen on {address}:{port}: {reason}.',
    'server.stopping':
      'Stopping: finishing the submits and deliveries under way (at most {seconds} s); press Ctrl+C again to stop at once.',
    'server.stopped':
      'Stopped. {handedOff} running jobs were let go of (picked up by another process, or at the next start); {unfinished} deliveries were cut short and will be made again.',
  },
  zh: {
    'server.portInUse':
      '无法监听 {address}:{port}：端口已被占用（另一个 ComfyRelay 或其他程序）。请停止它，或换一个端口（comfyrelay.config.yaml 中的 http.port，或 COMFYRELAY_HTTP_PORT）。',
    'server.listenFailed': '无法监听 {address}:{port}：{reason}。',
    'server.stopping':
      '正在停止：等待进行中的提交和发送完成（最多 {seconds} 秒）；再按一次 Ctrl+C 立即停止。',
    'server.stopped':
      '已停止。{handedOff} 个运行中的任务已交出（由另一个进程或下次启动时接手）；{unfinished} 个发送被中断，之后会重新发送。',
  },
});
