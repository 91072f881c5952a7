"""Chinese strings: embeddings."""

STRINGS: dict[str, str] = {
    "Texts on the map, at most": "地图上最多显示的文本数",
    "A larger sample shows more of the dataset; the layout takes longer, a little more than in proportion. "
    "Each class keeps its share.": "样本越大，显示的数据越多；布局计算也越久，耗时增长略快于文本数。每个类别保持原有占比。",
    # page and settings
    "Embeddings": "嵌入",
    "Run {run} has no embeddings yet ({state}): they are saved when training ends.": (
        "运行 {run} 还没有嵌入（{state}）：训练结束时才会保存。"
    ),
    "its map": "嵌入图",
    "Map settings": "嵌入图设置",
    "Method": "方法",
    "UMAP keeps neighbourhoods; PCA is instant and linear.": "UMAP 保留邻近关系；PCA 即时完成，且为线性投影。",
    "Dimensions": "维度",
    "Colour by": "着色依据",
    "true label": "真实标签",
    "prediction": "预测",
    "correct / wrong": "正确 / 错误",
    "split": "数据划分",
    "language": "语言",
    "Neighbours": "近邻数",
    "UMAP: larger shows more global structure.": "UMAP：值越大，越能体现全局结构。",
    "Min distance": "最小距离",
    "UMAP: smaller packs clusters tighter.": "UMAP：值越小，簇越紧凑。",
    "Texts": "文本",
    "held-out only (validation + test)": "仅留出文本（验证 + 测试）",
    "all (training texts too)": "全部（含训练文本）",
    "A model has seen its training texts: they sit in tidy clusters and flatter it. "
    "The held-out texts show how it places texts it has never seen.": (
        "模型见过自己的训练文本：它们会聚成整齐的簇，让模型显得更好。留出文本才能体现模型如何安置从未见过的文本。"
    ),
    "Compare with (same texts, side by side)": "对比（相同文本，并排显示）",
    # the map and its notes
    "correct": "正确",
    "wrong": "错误",
    "n/a": "无",
    "{shown:,} of the run's {total:,} texts": "显示该运行 {total:,} 条文本中的 {shown:,} 条",
    "{shown:,} of the run's {total:,} held-out texts (validation + test)": "显示该运行 {total:,} 条留出文本（验证 + 测试）中的 {shown:,} 条",
    "all {total:,} held-out texts of the run (validation + test)": "该运行的全部 {total:,} 条留出文本（验证 + 测试）",
    "all {total:,} texts of the run": "该运行的全部 {total:,} 条文本",
    "training texts included": "含训练文本",
    "sampled per class (seed {seed})": "按类别抽样（随机种子 {seed}）",
    "from the cache": "来自缓存",
    "colours repeat past {n} groups: hover a point for its class": "超过 {n} 组后颜色会重复：把鼠标移到点上可看到它的类别",
    "Too few texts on the map ({n}) to score how far the classes sit apart; show all texts "
    "(Map settings) or use a larger dataset.": (
        "地图上的文本太少（{n} 条），无法评估各类之间分得多开；请显示全部文本（地图设置）或使用更大的数据集。"
    ),
    "A 3-D map cannot select texts: choose 2 dimensions to pick texts on the map and list them.": (
        "三维地图无法选取文本：请选择二维，在地图上圈选文本并列出它们。"
    ),
    "Drag on the map to select texts (lasso; the box is in the map's toolbar): they are listed here, "
    "and 'More like these' finds similar ones.": (
        "在地图上拖动即可选取文本（套索；矩形框在地图的工具栏里）：选中的文本会列在这里，“查找更多类似的”会找出相近的文本。"
    ),
    "Tap a point to read its text. Texts are selected on the map with a mouse (a lasso or a box).": (
        "点按一个点即可查看它的文本。在地图上选取文本需要用鼠标（套索或矩形框）。"
    ),
    "Silhouette (cosine)": "轮廓系数（余弦）",
    "How far the classes sit apart (silhouette)": "各类分得多开（轮廓系数）",
    "How far the classes sit apart (-1 to 1)": "各类分得多开（-1 到 1）",
    "How far classes sit apart in the embedding space, -1 to 1.": "各类别在嵌入空间中相隔多远，取值 -1 到 1。",
    "k-NN accuracy": "k-NN 准确率",
    "Accuracy of a vote of the {k} nearest texts": "由最相似的 {k} 条文本投票的准确率",
    "Accuracy of a {k}-nearest-neighbour vote in the embedding space (cross-validated).": (
        "在嵌入空间中以 {k} 个最近邻投票的准确率（交叉验证）。"
    ),
    "{n} selected texts": "已选 {n} 条文本",
    # UMAP in a worker
    "UMAP could not be computed: {error}. Showing PCA instead.": "无法计算 UMAP：{error}。改为显示 PCA。",
    "Try UMAP again": "重新计算 UMAP",
    "UMAP is being computed in the background": "正在后台计算 UMAP",
    "{title} · PCA while UMAP is computed": "{title} · UMAP 计算期间先显示 PCA",
    "{title} · PCA": "{title} · PCA",
    "Scoring the separation…": "正在评估类别分离度…",
    # before and after fine-tuning
    "Before and after fine-tuning": "微调前后对比",
    "The run this one was fine-tuned from ({source}) was deleted, so there is no before-and-after map.": (
        "该运行微调所用的源运行（{source}）已被删除，因此没有微调前后对比图。"
    ),
    "The same texts in the space of the encoder this run started from and in its own, on aligned maps: "
    "see where fine-tuning moved them.": "同一批文本分别放在本运行的起点编码器和它自己的空间中，两张图已对齐：看微调把它们移到了哪里。",
    "More like these": "查找更多类似的",
    "Opens Search with the selection as the query: the texts nearest to the middle of the selected ones.": (
        "以所选文本为查询打开“搜索”：找出离所选文本中心最近的文本。"
    ),
    "The before/after maps could not be drawn: {error}": "无法绘制微调前后的图：{error}",
    "Try again": "重试",
    "Embedding the texts with the source encoder and fitting both maps in the background": (
        "正在后台用起点编码器嵌入文本并拟合两张图"
    ),
    "Before fine-tuning": "微调前",
    "After fine-tuning": "微调后",
    "Before → after fine-tuning": "微调前 → 微调后",
    "Before: the encoder of run {source}, which this run started from (deleted since). After: run {run}.": (
        "微调前：本运行的起点，运行“{source}”的编码器（该运行已被删除）。微调后：运行“{run}”。"
    ),
    "Before: the encoder of run {source} as this run started from it; it was trained further since. "
    "After: run {run}.": "之前：本运行开始时所用的运行 {source} 的编码器（此后它又继续训练过）。之后：运行 {run}。",
    "Before: the encoder of run {source}, which this run started from. After: run {run}.": (
        "微调前：本运行的起点，运行“{source}”的编码器。微调后：运行“{run}”。"
    ),
    "How far classes sit apart, -1 to 1.": "各类别相隔多远，取值 -1 到 1。",
    "A {k}-nearest-neighbour vote, cross-validated.": "{k} 个最近邻投票，交叉验证。",
    "Before fine-tuning → after, on the same texts.": "微调前 → 微调后，同一批文本。",
    "Median movement": "移动距离中位数",
    "How far a text moved between the aligned maps, in units of the before map's spread.": (
        "文本在两张对齐的图之间移动了多远，以微调前地图的分布范围为单位。"
    ),
    "side by side": "并排",
    "movement lines": "移动连线",
    "animation": "动画",
    "Show": "显示",
    "Lines are drawn for {n:,} texts, sampled at random.": "随机抽取 {n:,} 条文本画线。",
    "The same {n:,} held-out texts before and after. The after layout started from the before layout "
    "and then turned, flipped and scaled onto it (Procrustes), so what moves on screen moved in the space.": (
        "微调前后是同样的 {n:,} 条留出文本。微调后的图以微调前的图为起点布局，再经旋转、翻转和缩放与之对齐"
        "（Procrustes），所以屏幕上的移动就是空间中的移动。"
    ),
    "The same {n:,} texts before and after. The after layout started from the before layout "
    "and then turned, flipped and scaled onto it (Procrustes), so what moves on screen moved in the space.": (
        "微调前后是同样的 {n:,} 条文本。微调后的图以微调前的图为起点布局，再经旋转、翻转和缩放与之对齐"
        "（Procrustes），所以屏幕上的移动就是空间中的移动。"
    ),
    "The animation is drawn on 2-D maps: choose 2 dimensions to play it.": "动画只在二维图上绘制：选择 2 维即可播放。",
    "The TF-IDF baseline learns no embedding: its map shows LSA vectors (an SVD of its TF-IDF "
    "features, fitted without the labels), so its classes overlap more than its scores suggest. "
    "A trained encoder's map shows what training learned.": (
        "TF-IDF 基线不学习嵌入：它的地图展示的是 LSA 向量（对 TF-IDF 特征做 SVD，拟合时不看标签），"
        "所以各类别的重叠比它的分数看起来更多。训练出的编码器的地图才展示训练学到了什么。"
    ),
    "This run has no “{wanted}” to colour by (a pretraining run has no predictions): coloured by {shown}.": (
        "此运行没有可用于着色的“{wanted}”（预训练运行没有预测）：改按{shown}着色。"
    ),
    "{shown:,} of the left map's {total:,} texts are in this run": "左侧地图的 {total:,} 条文本中有 {shown:,} 条在这个运行里",
    "Too few texts on the map ({n}) to score how far the classes sit apart.": "地图上的文本太少（{n} 条），无法评估各类之间分得多开。",
    "{name} holds none of the texts on the left map: it was trained on other texts (another "
    "dataset, or this one before it was imported again). Pick a run trained on the same texts.": (
        "{name} 不包含左侧地图上的任何文本：它是在别的文本上训练的（另一个数据集，或重新导入之前的这个数据集）。"
        "请选择在相同文本上训练的运行。"
    ),
    "After fine-tuning, the vector also carries the n-gram bag added for it (wide and deep) beside "
    "the Transformer's: part of the gain in separation is the bag's.": (
        "微调之后，向量里除了 Transformer 的部分，还带着微调时加上的 n-gram 词袋（宽深结构）：类别分得更开，部分是词袋的功劳。"
    ),
}
