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
}
export default zh
