"""Chinese strings: the frame around the pages (sidebar, run state, jobs, names, export, presenter mode)."""

STRINGS: dict[str, str] = {
    # lengths of time (ui/i18n.py duration_text)
    "{seconds:,.0f} s": "{seconds:,.0f} 秒",
    "{seconds:,.1f} s": "{seconds:,.1f} 秒",
    "{minutes} min {seconds} s": "{minutes} 分 {seconds} 秒",
    "{minutes} min": "{minutes} 分钟",
    "{hours} h {minutes} min": "{hours} 小时 {minutes} 分",
    "{hours} h": "{hours} 小时",
    # navigation (ui/sidebar.py PAGE_MAP)
    "Start": "开始",
    "Build": "构建",
    "Inspect": "分析",
    "Home": "首页",
    "Data": "数据",
    "Train": "训练",
    "Evaluate": "评估",
    "Embeddings": "嵌入",
    "Playground": "试验场",
    "Compare": "对比",
    # run states and tasks (ui/sidebar.py STATE_NAMES, TASK_NAMES)
    "queued": "排队中",
    "running": "运行中",
    "done": "已完成",
    "stopped": "已停止",
    "failed": "失败",
    "interrupted": "已中断",
    "unknown": "未知",
    "pretraining": "预训练",
    "fine-tuning": "微调",
    "classification": "分类",
    # the first visit to a page that needs torch (ui/boot.py)
    "Loading the training tools (only on the server's first visit)…": "正在载入训练工具（仅在服务器启动后首次访问时）…",
    # sidebar
    "{name} · {rows:,} row(s)": "{name} · {rows:,} 行",
    "Dataset": "数据集",
    "No dataset yet: load one on the Data page.": "还没有数据集：请在“数据”页载入一个。",
    "Run": "运行",
    "Pick a run": "选择一个运行",
    "No runs on this dataset yet: start one on the Train page.": "这个数据集上还没有运行：请在“训练”页开始一个。",
    "No dataset {name}: showing another one.": "没有数据集 {name}：改为显示另一个。",
    "Dataset {name} was deleted (in another tab, from the command line, or by someone else using "
    "this studio); another dataset is shown.": "数据集 {name} 已被删除（在另一个标签页、命令行中，或被使用这个工作室的其他人删除）；现在显示的是另一个数据集。",
    "Run {name} was deleted (in another tab, from the command line, or by someone else using this "
    "studio); this dataset has no other runs.": "运行 {name} 已被删除（在另一个标签页、命令行中，或被使用这个工作室的其他人删除）；这个数据集没有其他运行了。",
    "Run {name} was deleted (in another tab, from the command line, or by someone else using this "
    "studio); another run is shown.": "运行 {name} 已被删除（在另一个标签页、命令行中，或被使用这个工作室的其他人删除）；现在显示的是另一个运行。",
    "No run {name} on this dataset: showing another one.": "这个数据集上没有运行 {name}：改为显示另一个。",
    "keyword model (TF-IDF + LR)": "关键词模型（TF-IDF + LR）",
    "No run {name} on this dataset, which has no runs yet.": "这个数据集上没有运行 {name}，它还没有任何运行。",
    "Run {name} was trained on the dataset {dataset}, which cannot be read: the Data page lists it with the "
    "reason.": "运行 {name} 是在数据集 {dataset} 上训练的，该数据集无法读取：“数据”页面列出了它及原因。",
    "Run {name} was trained on the dataset {dataset}, which was deleted; the run's files are kept "
    "(python -m core runs list).": "运行 {name} 是在数据集 {dataset} 上训练的，该数据集已被删除；运行的文件仍然保留（python -m core runs list）。",
    "Run {name} was trained on the dataset {dataset}, not this one: pick {dataset} in the sidebar to open it.": (
        "运行 {name} 是在数据集 {dataset} 上训练的，不是这个数据集：请在侧边栏选择 {dataset} 来打开它。"
    ),
    "Run {name} is damaged, so another is shown: the Train page lists it under Broken run folders.": (
        "运行 {name} 已损坏，因此改为显示另一个：“训练”页面的“损坏的运行文件夹”中列出了它。"
    ),
    "Language": "语言",
    "Presenter mode": "演示模式",
    "For a projector: hides the settings and forms, enlarges the charts, the scores and the Playground box.": (
        "用于投影演示：隐藏设置和表单，放大图表、得分和试验场输入框。"
    ),
    "Settings": "设置",
    # active run (ui/state.py)
    "No active run: start one on the Train page, or pick one in the sidebar.": (
        "没有选中的运行：请在“训练”页开始一个，或在侧边栏中选择。"
    ),
    "Go to Train": "前往训练",
    "Run {run} cannot be opened: {error}. Pick another run in the sidebar.": (
        "无法打开运行 {run}：{error}。请在侧边栏中选择其他运行。"
    ),
    "This run is broken: {problem}": "这个运行已损坏：{problem}",
    "Delete this run": "删除这个运行",
    "Evaluate again": "重新评估",
    "Evaluating the run again": "正在重新评估这个运行",
    "Delete run {run} and everything in its folder, its weights too? This cannot be undone.": (
        "删除运行 {run} 及其文件夹中的所有内容（包括权重）？此操作无法撤销。"
    ),
    "Delete run {run}, its weights too? They are sound: Evaluate again repairs the run instead. "
    "This cannot be undone.": "删除运行 {run}（包括权重）？它的权重完好：点“重新评估”即可修复这个运行。此操作无法撤销。",
    "Loading the model…": "正在加载模型…",
    # worker jobs (ui/jobs.py)
    "starting": "启动中",
    "starting a worker": "正在启动工作进程",
    "loading the libraries": "正在加载程序库",
    "neighbours": "计算近邻",
    "layout": "布局优化",
    "reading the file": "读取文件",
    "loading the model": "加载模型",
    "predicting every text": "预测每条文本",
    "compiling UMAP (first map on this machine, about 15 s)": "编译 UMAP（本机首次绘图，约 15 秒）",
    "reading the collection": "读取文本集",
    "fitting the search space": "拟合检索空间",
    "loading the source encoder": "加载起点编码器",
    "map before fine-tuning": "微调前的地图",
    "map after fine-tuning": "微调后的地图",
    "scoring the separation": "评估类别分离度",
    "embedding {done} of {total} texts with the source": "用起点编码器嵌入第 {done} 条文本（共 {total} 条）",
    "embedding {done} of {total} texts": "正在嵌入第 {done} 条文本（共 {total} 条）",
    "classifying {done} of {total} texts": "正在分类第 {done} 条文本（共 {total} 条）",
    "building the approximate index of {done} vectors": "正在为 {done} 个向量建立近似索引",
    " · {seconds:.0f} s": " · {seconds:.0f} 秒",
    "{title}: {status}": "{title}：{status}",
    "Rebuilding the per-text results in the background": "正在后台重建逐条结果",
    "This run has no per-text results yet (a stopped run gets them when its checkpoint is evaluated), "
    "so {needed_for} cannot be shown.": (
        "这个运行还没有逐条结果（已停止的运行在评估其检查点后才会有），因此无法显示{needed_for}。"
    ),
    "The run's per-text results cannot be used: {problem}. They are needed for {needed_for}.": (
        "这个运行的逐条结果无法使用：{problem}。显示{needed_for}需要它们。"
    ),
    "The last rebuild failed: {error}": "上次重建失败：{error}",
    "Evaluate the run again (rebuilds them)": "重新评估这个运行（重建逐条结果）",
    # names, tags, deletion, export (ui/manage.py)
    "{action}…": "{action}…",
    "Cancel": "取消",
    "Name, tags, class names, delete": "名称、标记、类别名与删除",
    "Dataset name": "数据集名称",
    "Tags": "标记",
    "Type a tag and press Enter.": "输入标记后按回车。",
    "Add a tag": "添加标记",
    "Save name and tags": "保存名称和标记",
    "Saved the name and tags of **{name}**.": "已保存 **{name}** 的名称和标记。",
    "**Class names**": "**类别名称**",
    "Rename classes here (for example `0` → `negative`). The dataset and every run trained on it "
    "({count}) are updated; their scores and predictions stay the same.": (
        "在这里重命名类别（例如 `0` → `negative`）。数据集以及在它上面训练的所有运行（{count} 个）"
        "都会同步更新，得分和预测保持不变。"
    ),
    "Rename classes": "重命名类别",
    "Renamed {pairs}": "已重命名：{pairs}",
    "**Delete**": "**删除**",
    "Delete the dataset **{name}**? Its rows are removed from the studio. "
    "The {count} run(s) trained on it keep their files, but the pages list runs by dataset, so "
    "they are then reached from the command line only (python -m core runs list).": (
        "删除数据集 **{name}**？它的数据行将从工作室中移除。在它上面训练的 {count} 个运行会保留文件，"
        "但页面按数据集列出运行，之后只能通过命令行找到它们（python -m core runs list）。"
    ),
    "Delete dataset": "删除数据集",
    "Deleted the dataset {name}.": "已删除数据集 {name}。",
    "Delete its {count} run(s) too": "同时删除它的 {count} 个运行",
    "Delete the dataset **{name}** and its {count} run(s)? Their models, scores and maps are deleted with it.": (
        "删除数据集 **{name}** 及其 {count} 个运行？它们的模型、分数和地图会一并删除。"
    ),
    "Deleted the dataset {name} and its {count} run(s).": "已删除数据集 {name} 及其 {count} 个运行。",
    "Name, tags, delete this run": "名称、标记与删除这个运行",
    "Settings of this run": "这个运行的设置",
    "The command that trains a run with these settings (add --seed N for another seed):": (
        "用这些设置训练一个运行的命令（换一个种子请加 --seed N）："
    ),
    "Its whole configuration, on the command line:": "在命令行查看它的完整配置：",
    "This run is a member of the ensemble {ensembles}, which cannot predict without it. "
    "Delete the ensemble first.": "这个运行是集成 {ensembles} 的成员，该集成离开它就无法预测。请先删除该集成。",
    "Run name": "运行名称",
    "Saved the run's name and tags.": "已保存运行的名称和标记。",
    "Fine-tuned from it: {runs}. They keep their own weights and scores, and a before-and-after map already "
    "drawn, but no new one can be drawn.": (
        "由它微调而来的运行：{runs}。它们保留各自的权重和得分，以及已经画好的微调前后对比图，但无法再画新的对比图。"
    ),
    "It is the baseline the other runs on this dataset are measured against: Evaluate and Compare "
    "show no margin over it until a baseline is trained again.": (
        "它是此数据集上其他运行所对照的基线：删除后，评估和比较页面将不再显示相对基线的差距，直到重新训练一个基线。"
    ),
    "Delete the run **{name}** and all its files (model, scores, maps)?": (
        "删除运行 **{name}** 及其全部文件（模型、得分、嵌入图）？"
    ),
    "Delete run": "删除运行",
    "Deleted the run {run}.": "已删除运行 {run}。",
    "Download the model": "下载模型",
    # why a run cannot be exported (core/bundle.py export_problem)
    "A pretraining run has no classes to predict: fine-tune it on a labelled dataset, then export that run.": (
        "预训练运行没有可预测的类别：请先在有标签的数据集上微调，再导出那个运行。"
    ),
    "An ensemble predicts through its member runs; export its members one by one.": (
        "集成模型通过其成员运行进行预测；请逐个导出其成员。"
    ),
    "The run's config.json names an encoder the studio does not have ({encoder}): the file was edited or "
    "damaged. Put it back as it was, or delete the run.": (
        "该运行的 config.json 写的编码器（{encoder}）工作室并没有：该文件被编辑过或已损坏。请把它恢复原样，或删除该运行。"
    ),
    "The {encoder} encoder wraps downloaded weights that are not the studio's to ship; export covers {families}.": (
        "{encoder} 编码器封装的是下载来的权重，不能由本工作室分发；可导出的编码器有 {families}。"
    ),
    "The run's model file (model.safetensors) is missing from its folder, so there is nothing to export.": (
        "运行文件夹中缺少模型文件（model.safetensors），没有可导出的内容。"
    ),
    "The model file of run {run} (model.safetensors) is missing from its folder. Restore it, or start the "
    "run again with the same settings (Start again on the Train page).": (
        "运行 {run} 的文件夹中缺少模型文件（model.safetensors）。请恢复该文件，或用相同设置重新开始这个运行（训练页上的“重新开始”）。"
    ),
    "This run has no saved weights yet: wait for it to finish, or resume it.": (
        "这个运行还没有保存的权重：请等它结束，或继续训练它。"
    ),
    "This run has no class names in its config; evaluate it again first.": "这个运行的配置中没有类别名称；请先重新评估。",
    "The run's {file} is missing from its folder, so its model cannot read a text; train the run again.": (
        "运行文件夹中缺少 {file}，模型无法读取文本；请重新训练这个运行。"
    ),
    "The run's {file} is damaged, so its model cannot read a text; train the run again.": (
        "运行的 {file} 已损坏，模型无法读取文本；请重新训练这个运行。"
    ),
    "The run's config names {labels} classes but its model predicts {outputs}; its config.json was changed. "
    "Train the run again.": "运行的配置列出 {labels} 个类别，但其模型预测 {outputs} 个；它的 config.json 被改动过。请重新训练这个运行。",
    "The run's model cannot be loaded, so there is nothing sound to export. {error}": (
        "该运行的模型无法加载，没有可导出的完好内容。{error}"
    ),
    "Download the model (.zip)": "下载模型（.zip）",
    "Weights (safetensors), config, featuriser or tokeniser, class names, metrics and a short "
    "load.py that predicts with plain torch, without Encoder Studio.": (
        "包含权重（safetensors）、配置、特征器或分词器、类别名称、评估指标，以及一个简短的 load.py："
        "只用 torch 即可预测，无需安装 Encoder Studio。"
    ),
    "The run's model file is damaged ({problem}), so there is nothing sound to export; retrain the run.": (
        "该运行的模型文件已损坏（{problem}），没有可导出的完好内容；请重新训练该运行。"
    ),
    # encoder names in tables and selectors (ui.sidebar.encoder_name)
    "Transformer ({preset})": "Transformer（{preset}）",
    "Transformer ({preset}) + n-gram bag": "Transformer（{preset}）+ n-gram 词袋",
    "TF-IDF + LR": "TF-IDF + LR",
    "TF-IDF + LR, NB-weighted": "TF-IDF + LR（NB 加权）",
    "MiniLM": "MiniLM",
    "ensemble": "集成",
    "{name} over jieba words": "基于 jieba 分词的{name}",
    # a side job's kind, inside core's messages ("in use by a search index job")
    "map": "嵌入图",
    "evaluation": "评估",
    "checkpoint evaluation": "检查点评估",
    "batch prediction": "批量预测",
    "search index": "搜索索引",
    "before-and-after map": "微调前后对比图",
    "scoring": "评分",
    "side": "后台",
    "label efficiency · {arm} · {share}% labels · seed {seed}": "标签效率 · {arm} · {share}% 标签 · 种子 {seed}",
    "label efficiency · pretraining · {preset}": "标签效率 · 预训练 · {preset}",
    "This run is training or waiting to train: stop it first (Train page), then delete it.": (
        "这个运行正在训练或排队等待训练：请先停止它（训练页），再删除。"
    ),
    "New name for class {n}": "类别 {n} 的新名称",
}
