import type { Strings } from '../strings'
import type en from '../en/hardware'

const zh: Strings<typeof en> = {
  title: '硬件',
  probing: '正在检测…',
  probe: '重新检测',
  platform: '平台 {{platform}}。当前使用：',
  noModel: '尚未加载模型',
  provider: '执行提供程序',
  inBuild: '是否包含在此版本中',
  works: '能否在此运行',
  whyNot: '原因',
  bundled: '已包含',
  notBundled: '未包含',
  yes: '是',
  no: '否',
  fallbacks: '回退记录',
  cudaNote:
    '尚未安装 CUDA 执行提供程序。onnxruntime-node 会用它自带的安装脚本从 NuGet 下载（约 300 MB）；需要 NVIDIA 驱动和 CUDA 12。',
  install: '安装 CUDA 执行提供程序',
  installing: '正在安装…',
  details: '详细信息',
  gpus: '本机的 GPU：{{list}}。',
  noGpus: '本机没有找到 GPU（需要时 WebGPU 仍可在软件适配器上运行）。',
  adapter: {
    software: '运行在 {{name}} 上，这是软件适配器：结果正确，但比 CPU 慢。',
    gpu: '运行在 {{name}}（{{vendor}}）上。',
  },
  state: {
    notInBuild: {
      dml: 'DirectML 只能在 Windows 上运行。',
      coreml: 'CoreML 只能在 macOS 上运行。',
      cuda: '此版本不含 CUDA 执行提供程序（它适用于 Windows 和 Linux x64）。',
      tensorrt: 'TensorRT 需要 NVIDIA TensorRT，Glassbox 不会安装它。',
    },
    notInBuildOther: '此 onnxruntime 版本不包含它。',
    notInstalled: '它的库需要另外下载（见下方）；还需要 NVIDIA 驱动和 CUDA 12。',
    needsNvidia: '它需要 NVIDIA GPU，而本机没有。',
    noAdapter:
      '没有找到它可用的 GPU 驱动（Linux 上是 Vulkan，Windows 上是 Direct3D 12，macOS 上是 Metal）。',
    failed: '已安装，但在一个很小的测试图上运行失败；原因见详细信息。',
  },
  speed: {
    title: '本机速度',
    intro:
      '“测试”会在每个可在本机运行的执行提供程序上依次用“模型”中选定的模型生成几个词元，并与 CPU 比较。',
    run: '测试',
    running: '正在测试…',
    tokensPerSecond: '词元/秒',
    vsCpu: '相对 CPU',
    note: '备注',
  },
}
export default zh
