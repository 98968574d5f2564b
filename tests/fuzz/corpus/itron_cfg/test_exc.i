# 0 "test_exc.cfg"
# 1 "test_exc.cfg"
# 1 "test_exc.h" 1
# 3 "test_exc.cfg" 2
CRE_TSK(TASK1, { 0x02U, 1, task1, 10, 4096U, 
# 4 "test_exc.cfg" 3 4
                                                            ((void *)0) 
# 4 "test_exc.cfg"
                                                                 });
CRE_TSK(TASK2, { 0U, 2, task2, 9, 4096U, 
# 5 "test_exc.cfg" 3 4
                                                              ((void *)0) 
# 5 "test_exc.cfg"
                                                                   });
DEF_TEX(TASK1, { 0U, tex_task1 });
DEF_EXC(6U, { 0U, cpuexc_handler });
