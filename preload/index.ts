// The whole bridge: a generic invoke/on pair over the two channels and the native folder
// dialog, no logic (sandboxed).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_PICK_FOLDER_CHANNEL,
} from '../main/contract/channels'

type EventListener = (event: string, payload: unknown) => void

contextBridge.exposeInMainWorld('glassbox', {
  invoke: (method: string, input: unknown) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, input),
  on: (listener: EventListener) => {
    const forward = (_e: IpcRendererEvent, event: unknown, payload: unknown) =>
      listener(String(event), payload)
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward)
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward)
    }
  },
  pickFolder: (labels: unknown) => ipcRenderer.invoke(IPC_PICK_FOLDER_CHANNEL, labels),
})
