use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::CheckpointStrategy;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::autodiff::{Autodiff, NodeId};
use burn::backend::tensor::FloatTensor;

use super::BlockMatmul;

/// `c = a · b`: `∂a = g · bᵀ`, `∂b = aᵀ · g`, both through the same kernel reading the
/// transposed views in place.
impl<B: BlockMatmul, C: CheckpointStrategy> BlockMatmul for Autodiff<B, C> {
    fn block_matmul(lhs: FloatTensor<Self>, rhs: FloatTensor<Self>) -> FloatTensor<Self> {
        #[derive(Debug)]
        struct BlockMatmulBackward;

        impl<B: BlockMatmul> Backward<B, 2> for BlockMatmulBackward {
            type State = (Option<NodeId>, Option<NodeId>);

            fn backward(
                self,
                ops: Ops<Self::State, 2>,
                grads: &mut Gradients,
                checkpointer: &mut Checkpointer,
            ) {
                let [node_lhs, node_rhs] = ops.parents;
                let grad = grads.consume::<B>(&ops.node);
                let (lhs_state, rhs_state) = ops.state;
                // Each operand is kept only if the other one's gradient needs it.
                let lhs: Option<FloatTensor<B>> =
                    lhs_state.map(|id| checkpointer.retrieve_node_output(id));
                let rhs: Option<FloatTensor<B>> =
                    rhs_state.map(|id| checkpointer.retrieve_node_output(id));
                if let (Some(node), Some(rhs)) = (node_lhs, rhs) {
                    let g = B::block_matmul(grad.clone(), B::float_transpose(rhs));
                    grads.register::<B>(node.id, g);
                }
                if let (Some(node), Some(lhs)) = (node_rhs, lhs) {
                    let g = B::block_matmul(B::float_transpose(lhs), grad);
                    grads.register::<B>(node.id, g);
                }
            }
        }

        let lhs_tracked = lhs.is_tracked();
        let rhs_tracked = rhs.is_tracked();
        match BlockMatmulBackward
            .prepare::<C>([lhs.node(), rhs.node()])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(mut prep) => {
                let lhs_state = rhs_tracked.then(|| prep.checkpoint(&lhs));
                let rhs_state = lhs_tracked.then(|| prep.checkpoint(&rhs));
                let out = B::block_matmul(lhs.into_primitive(), rhs.into_primitive());
                prep.finish((lhs_state, rhs_state), out)
            }
            OpsKind::UnTracked(prep) => {
                prep.finish(B::block_matmul(lhs.into_primitive(), rhs.into_primitive()))
            }
        }
    }
}
